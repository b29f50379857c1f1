/** The `sql.orm` setting: off, no ORM call or model is read; the parse cache follows the setting. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sqlAnalysis } from '../../../src/analyzers/sql/gather.js';
import { defaultSettings } from '../../../src/kernel/settings.js';

const FILES = [
  { path: 'src/documents.ts', text: 'export const list = (teamId: number) => prisma.document.findMany({ where: { teamId } });\n', hash: 'a' },
  { path: 'src/models/team.ts', text: "export const Team = sequelize.define('team', { name: DataTypes.STRING });\n", hash: 'b' },
  { path: 'app/views.py', text: 'def view(request, pk):\n    return Check.objects.filter(code=pk).first()\n', hash: 'c' },
];

test('sql.orm: calls and models are read when true (default), none when false, again when true (same session)', async () => {
  const session = sqlAnalysis.createSession();
  await session.prepare?.();
  const read = async (orm: boolean): Promise<string[]> => {
    const settings = defaultSettings();
    settings.sql.orm = orm;
    const parsed = await session.parse(FILES, settings, async () => {});
    return parsed.flatMap((p) => [...(p.orm ?? []).map((q) => `${p.path}:${q.orm}.${q.method}`), ...(p.sequelize?.models.length ? [`${p.path}:models`] : [])]);
  };
  const on = ['src/documents.ts:prisma.findMany', 'src/models/team.ts:models', 'app/views.py:django.first'];
  assert.equal(defaultSettings().sql.orm, true);
  assert.deepEqual(await read(true), on);
  assert.deepEqual(await read(false), []);
  assert.deepEqual(await read(true), on);
});
