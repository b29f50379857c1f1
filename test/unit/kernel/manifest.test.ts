import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const mainSrc = readdirSync('src/extension').filter((f) => f.endsWith('.ts')).map((f) => readFileSync(`src/extension/${f}`, 'utf8')).join('\n');

test('every contributed command is registered by the extension', () => {
  for (const c of pkg.contributes.commands as { command: string }[]) assert.ok(mainSrc.includes(`'${c.command}'`), `${c.command} is not registered`);
});

test('workspace trust is declared as limited; activation is not "*"', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(!pkg.activationEvents.includes('*'));
  assert.ok(!pkg.activationEvents.includes('onStartupFinished'));
});

test('contributed files exist and parse', () => {
  for (const g of pkg.contributes.grammars as { path: string }[]) JSON.parse(readFileSync(g.path, 'utf8'));
  for (const v of pkg.contributes.jsonValidation as { url: string }[]) JSON.parse(readFileSync(v.url, 'utf8'));
  for (const c of pkg.contributes.viewsContainers.activitybar as { icon: string }[]) assert.ok(existsSync(c.icon), c.icon);
  assert.ok(existsSync(pkg.icon));
});

test('dependencies are pinned to exact versions', () => {
  for (const deps of [pkg.dependencies, pkg.devDependencies]) {
    for (const [name, v] of Object.entries(deps as Record<string, string>)) assert.match(v, /^\d+\.\d+\.\d+/, `${name}@${v} is not pinned`);
  }
});

test('walkthrough steps point at existing media and real commands', () => {
  const commands = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
  for (const w of pkg.contributes.walkthroughs as { steps: { media: { markdown: string }; description: string }[] }[]) {
    for (const s of w.steps) {
      assert.ok(existsSync(s.media.markdown), s.media.markdown);
      for (const m of s.description.matchAll(/command:(perfAuditor\.[\w.]+)/g)) assert.ok(commands.has(m[1]), m[1]);
    }
  }
});
