/**
 * missing-index at info level: filters only deletion / rename / clean-up code uses (a user's deletion
 * cascading to their rows, a renamed blog rewritten in a redirect table), and low-selectivity filters
 * on integer flags and counters. Columns read at runtime elsewhere stay warnings.
 */
import { ruleTests } from '../../../helpers/rule-tester.js';

const SCHEMA = `-- dialect: sqlite
CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE redirects (id integer PRIMARY KEY, prev_alias text NOT NULL UNIQUE, new_alias text NOT NULL);
CREATE TABLE sessions (id integer PRIMARY KEY, token text NOT NULL UNIQUE, user_id integer NOT NULL);
CREATE TABLE shares (id integer PRIMARY KEY, uid text NOT NULL UNIQUE, creator_id integer NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, owner_id integer NOT NULL REFERENCES users (id));
CREATE TABLE jobs (id integer PRIMARY KEY, post_id text NOT NULL, delay integer);
CREATE TABLE feeds (id integer PRIMARY KEY, url text NOT NULL, parsing_error_count integer NOT NULL DEFAULT 0, view_count integer, is_public integer NOT NULL DEFAULT 0, is_code text);
`;
const ws = (files: Record<string, string>): Record<string, string> => ({ 'db/schema.sql': SCHEMA, ...files });
const go = (body: string): string => `package store\n\n${body}\n`;

ruleTests('missing-index', {
  valid: [],
  invalid: [
    {
      name: 'a DELETE in a deletion function on a column nothing else reads: info with the reason',
      files: ws({ 'store/account.go': go('func (db *datastore) DeleteAccount(alias string) error {\n\t_, err := db.Exec("DELETE FROM redirects WHERE new_alias = ?", alias)\n\treturn err\n}') }),
      errors: [{ file: 'store/account.go', line: 4, column: 49, severity: 'info', message: /but only deletes in deletion, rename or clean-up code filter redirects by new_alias \(the project's reads by it are judged on their own\): each one scans redirects once\. If these run often, add an index on redirects \(new_alias\)\.$/, data: { maintenanceOnly: true } }],
    },
    {
      name: 'a rename (UPDATE that sets the column it filters by), wherever it sits: info',
      files: ws({ 'store/settings.go': go('func (db *datastore) ChangeSettings(old, name string) error {\n\t_, err := db.Exec("UPDATE redirects SET new_alias = ? WHERE new_alias = ?", name, old)\n\treturn err\n}') }),
      errors: [{ file: 'store/settings.go', line: 4, column: 62, severity: 'info', message: /only updates in deletion, rename or clean-up code/ }],
    },
    {
      name: 'the unserved branch of an OR in a deletion function: info',
      files: ws({ 'store/collection.go': go('func (db *datastore) DeleteCollection(alias string) error {\n\t_, err := db.Exec("DELETE FROM redirects WHERE prev_alias = ? OR new_alias = ?", alias, alias)\n\treturn err\n}') }),
      errors: [{ file: 'store/collection.go', line: 4, column: 67, severity: 'info', message: /^No index on redirects\(new_alias\): one branch of an OR .* but only deletes in deletion/ }],
    },
    {
      name: 'a Python clean-up function and a file named for deletion: info',
      files: ws({
        'app/sessions.py': 'def prune_sessions(cur, uid):\n    cur.execute("DELETE FROM sessions WHERE user_id = ?", [uid])\n',
        'store/user_delete.go': go('func (db *datastore) listShares(uid int) {\n\tdb.Query("SELECT id FROM shares WHERE creator_id = ?", uid)\n}'),
      }),
      errors: [
        { file: 'app/sessions.py', line: 2, column: 45, severity: 'info', message: /only deletes in deletion/ },
        { file: 'store/user_delete.go', line: 4, column: 40, severity: 'info', message: /only statements in deletion/ },
      ],
    },
    {
      name: 'a DELETE where no function name is found (an arrow function): the DELETE alone counts',
      files: ws({ 'src/users.ts': 'export const dropUserSessions = async (id: number) => {\n  await db.query("DELETE FROM sessions WHERE user_id = ?", [id]);\n};\n' }),
      errors: [{ file: 'src/users.ts', line: 2, column: 46, severity: 'info', message: /only deletes in deletion/ }],
    },
    {
      name: 'a column also read by a SELECT at runtime: the SELECT is reported (a warning), the delete stays info',
      files: ws({
        'store/account.go': go('func (db *datastore) DeleteAccount(uid int) {\n\tdb.Exec("DELETE FROM sessions WHERE user_id = ?", uid)\n}'),
        'store/session.go': go('func (db *datastore) Sessions(uid int) {\n\tdb.Query("SELECT token FROM sessions WHERE user_id = ?", uid)\n}'),
      }),
      errors: [
        { file: 'store/account.go', line: 4, column: 38, severity: 'info', data: { maintenanceOnly: true } },
        { file: 'store/session.go', line: 4, column: 45, severity: 'warning' },
      ],
    },
    {
      name: 'still a warning: the column is read through a dynamically built WHERE clause',
      files: ws({
        'store/user_delete.go': go('func deleteSharesTx(tx *sql.Tx, uid int) error {\n\t_, err := tx.Exec(`DELETE FROM shares WHERE creator_id = ?`, uid)\n\treturn err\n}'),
        'store/share.go': go('func (d *DB) ListShares(find *FindShare) {\n\twhere := []string{"1 = 1"}\n\tif find.CreatorID != nil {\n\t\twhere = append(where, "`shares`.`creator_id` = ?")\n\t}\n\td.db.Query("SELECT id FROM shares WHERE " + strings.Join(where, " AND "))\n}'),
      }),
      errors: [{ file: 'store/user_delete.go', line: 4, column: 46, severity: 'warning' }],
    },
    {
      name: 'a column read by a query builder (`where(\'col\', \'=\', v)`): the builder query is reported, the clean-up stays info',
      files: ws({
        'src/jobs/cleanup-shares.ts': 'export const run = async (id: number) => {\n  await db.query("DELETE FROM shares WHERE creator_id = ?", [id]);\n};\n',
        'src/shares.ts': "export const sharesOf = (id: number) => kysely.selectFrom('shares').where('shares.creator_id', '=', id).execute();\n",
      }),
      errors: [{ file: 'src/jobs/cleanup-shares.ts', line: 2, column: 44, severity: 'info' }, { file: 'src/shares.ts', line: 1, column: 69, severity: 'warning' }],
    },
    {
      name: 'an unindexed foreign key column: info here, unindexed-foreign-key reports the key itself',
      files: ws({ 'store/account.go': go('func (db *datastore) DeleteAccount(uid int) {\n\tdb.Exec("DELETE FROM notes WHERE owner_id = ?", uid)\n}') }),
      errors: [{ file: 'store/account.go', line: 4, column: 35, severity: 'info' }],
    },
    {
      name: 'still a warning: an UPDATE in a function that is not about deleting or renaming',
      files: ws({ 'store/jobs.go': go('func (db *datastore) UpdateJobForPost(postID string, delay int) {\n\tdb.Exec("UPDATE jobs SET delay = ? WHERE post_id = ?", delay, postID)\n}') }),
      errors: [{ file: 'store/jobs.go', line: 4, column: 43, severity: 'warning' }],
    },
    {
      name: 'a work queue (named for jobs, runtime code deletes each row by its key once done): info with the reason',
      files: ws({ 'store/jobs.go': go('func (db *datastore) UpdateJobForPost(postID string, delay int) {\n\tdb.Exec("UPDATE jobs SET delay = ? WHERE post_id = ?", delay, postID)\n}\n\nfunc (db *datastore) DeleteJob(id int64) {\n\tdb.Exec("DELETE FROM jobs WHERE id = ?", id)\n}') }),
      errors: [{ file: 'store/jobs.go', line: 4, column: 43, severity: 'info', message: /but jobs is a work queue \(store\/jobs\.go deletes each row by its key once it is done\), so it holds only the pending backlog: scanning a short queue is cheap\. If the backlog can grow large, add an index on jobs \(post_id\)\.$/, data: { workQueue: true } }],
    },
    {
      name: 'still a warning: rows deleted by key from a table not named for queued work',
      files: ws({ 'store/shares.go': go('func (db *datastore) SharesOf(creator int) {\n\tdb.Query("SELECT uid FROM shares WHERE creator_id = ?", creator)\n}\n\nfunc (db *datastore) DeleteShare(id int64) {\n\tdb.Exec("DELETE FROM shares WHERE id = ?", id)\n}') }),
      errors: [{ file: 'store/shares.go', line: 4, column: 41, severity: 'warning' }],
    },
    {
      name: 'SQL files: an sqlc query named for deletion is info; a plain UPDATE (no name) or a named non-deletion UPDATE stays a warning',
      files: ws({
        'db/query.sql': '-- dialect: sqlite\n-- name: PurgeJobsForPost :exec\nDELETE FROM jobs WHERE post_id = ?;\n\n-- name: SetJobDelay :exec\nUPDATE jobs SET delay = ? WHERE post_id = ?;\n',
        'db/plain.sql': '-- dialect: sqlite\nUPDATE shares SET uid = ? WHERE creator_id = ?;\n',
      }),
      errors: [
        { file: 'db/plain.sql', line: 2, column: 33, severity: 'warning' },
        { file: 'db/query.sql', line: 3, column: 24, severity: 'info', message: /only deletes in deletion/ },
        { file: 'db/query.sql', line: 6, column: 33, severity: 'warning' },
      ],
    },
    {
      name: 'a range on a counter and an integer is_ flag: info with the reason; an equality on a counter or a text is_ column stays a warning',
      files: ws({ 'q.sql': '-- dialect: sqlite\nSELECT count(*) FROM feeds WHERE parsing_error_count >= ?;\nSELECT id FROM feeds WHERE is_public = 1;\nSELECT id FROM feeds WHERE view_count = ?;\nSELECT id FROM feeds WHERE is_code = ?;' }),
      errors: [
        { file: 'q.sql', line: 2, column: 34, severity: 'info', message: /parsing_error_count is a counter/ },
        { file: 'q.sql', line: 3, column: 28, severity: 'info', message: /is_public is a flag \(integer: two values\)/ },
        { file: 'q.sql', line: 4, column: 28, severity: 'warning' },
        { file: 'q.sql', line: 5, column: 28, severity: 'warning' },
      ],
    },
  ],
});
