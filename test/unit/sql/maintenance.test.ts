import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enclosingFunctionName, maintenanceName, sqlcName } from '../../../src/analyzers/sql/maintenance.js';

const at = (text: string, marker: string): number => text.indexOf(marker);

test('enclosingFunctionName: Go (with a receiver), Python, JS; undefined when none', () => {
  const go = 'package s\n\nfunc (db *datastore) DeleteAccount(id int) error {\n\tdb.Exec("DELETE X")\n}\n\nfunc Other() {\n\tdb.Query("SELECT Y")\n}\n';
  assert.equal(enclosingFunctionName('store/a.go', go, at(go, 'DELETE X')), 'DeleteAccount');
  assert.equal(enclosingFunctionName('store/a.go', go, at(go, 'SELECT Y')), 'Other');
  const py = 'class Repo:\n    def purge_sessions(self, cur):\n        cur.execute("DELETE X")\n';
  assert.equal(enclosingFunctionName('app/repo.py', py, at(py, 'DELETE X')), 'purge_sessions');
  const js = 'export async function removeUser(id) {\n  await db.query("DELETE X");\n}\n';
  assert.equal(enclosingFunctionName('src/u.ts', js, at(js, 'DELETE X')), 'removeUser');
  assert.equal(enclosingFunctionName('src/u.ts', 'const f = async () => db.query("DELETE X");', 30), undefined);
});

test('sqlcName and maintenanceName', () => {
  const sql = '-- name: GetAuthor :one\nSELECT 1;\n-- name: DeleteAuthor :exec\nDELETE FROM authors;\n';
  assert.equal(sqlcName(sql, at(sql, 'SELECT 1')), 'GetAuthor');
  assert.equal(sqlcName(sql, at(sql, 'DELETE FROM')), 'DeleteAuthor');
  assert.equal(sqlcName('SELECT 1;', 0), undefined);
  for (const n of ['DeleteAccount', 'listDeleteUserMemoTree', 'prune_sessions', 'user_delete.go', 'backport-claims.handler.ts', 'RenameCollection']) assert.ok(maintenanceName(n), n);
  for (const n of ['ChangeSettings', 'GetJobsToRun', 'feeds.go']) assert.ok(!maintenanceName(n), n);
});
