/** missing-index, unbounded-select and n-plus-one-query on Sequelize calls, judged against migrations and models. */
import { ruleTests } from '../../../helpers/rule-tester.js';

const MIGRATION = "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.createTable('documents', {\n      id: { type: Sequelize.UUID, primaryKey: true },\n      teamId: { type: Sequelize.UUID, allowNull: false },\n      title: { type: Sequelize.STRING },\n      createdAt: { type: Sequelize.DATE },\n      deletedAt: { type: Sequelize.DATE },\n    });\n    await queryInterface.addIndex('documents', ['title']);\n  },\n  async down(queryInterface) {\n    await queryInterface.dropTable('documents');\n  },\n};\n";
const MODEL = "import { Table, Column, Model } from 'sequelize-typescript';\n\n@Table({ tableName: 'documents', modelName: 'document', paranoid: true })\nclass Document extends Model {\n  @Column\n  teamId: string;\n\n  @Column\n  title: string;\n}\n\nexport default Document;\n";
const ws = (code: string): Record<string, string> => ({ 'package.json': '{"dependencies":{"sequelize":"6.37.0","pg":"8.13.0"}}\n', 'server/migrations/20240101000000-create-documents.js': MIGRATION, 'server/models/Document.ts': MODEL, 'server/routes/documents.ts': code });

ruleTests('missing-index', {
  valid: [
    { name: 'an index from a migration serves it (the model declares none)', files: ws("export const byTitle = (title: string) => Document.findOne({ where: { title } });\n") },
    { name: 'findByPk', files: ws('export const one = (id: string) => Document.findByPk(id);\n') },
    { name: 'options with a spread are not seen whole: skipped', files: ws('export const list = (params) => Document.findAll({ ...params, where: { teamId: 1 } });\n') },
  ],
  invalid: [
    {
      name: 'an unindexed column: a new Sequelize migration with addIndex / removeIndex; the paranoid deletedAt IS NULL never drives the finding',
      files: ws('export async function list(teamId: string) {\n  return Document.findAll({ where: { teamId }, limit: 10 });\n}\n'),
      errors: [{
        file: 'server/routes/documents.ts', line: 2, column: 38, severity: 'warning',
        message: /^No index on documents\(teamid\): .* \(Document\.findAll runs SELECT … FROM documents WHERE teamid = \$1 LIMIT \$2\.\)$/,
        fixTitle: /^Create index documents_teamid_idx in a new migration \(\d{14}-documents_teamid_idx\.js, Sequelize\)$/,
      }],
    },
  ],
});

ruleTests('unbounded-select', {
  valid: [
    { name: 'findAll with a limit', files: ws('export const some = () => Document.findAll({ limit: 20 });\n') },
    { name: 'findAll with a filter', files: ws('export const mine = (teamId) => Document.findAll({ where: { teamId } });\n') },
  ],
  invalid: [
    {
      name: 'findAll of a table that grows, with no filter and no limit',
      files: ws("export const all = () => Document.findAll({ order: [['createdAt', 'DESC']] });\n"),
      errors: [{ file: 'server/routes/documents.ts', line: 1, column: 26, severity: 'warning', message: /^Document\.findAll returns every row of documents \(no filter, no limit: SELECT … FROM documents ORDER BY createdat DESC\): paginate it \(`limit` with `offset`, or a keyset `where`\)/ }],
    },
  ],
});

ruleTests('n-plus-one-query', {
  valid: [],
  invalid: [
    {
      name: 'a findOne per item of Promise.all(map)',
      files: ws('export async function titles(teamId: string) {\n  const docs = await Document.findAll({ where: { teamId }, limit: 50 });\n  return Promise.all(docs.map((d) => Document.findOne({ where: { teamId: d.id } })));\n}\n'),
      errors: [{ file: 'server/routes/documents.ts', line: 3, column: 38, severity: 'warning', message: /^Document\.findOne runs once per item of the Promise\.all\(….map\(\)\) callback .*`findAll\(\{ where: \{ <key>: keys \} \}\)`/ }],
    },
  ],
});
