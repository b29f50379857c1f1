// The bundle analyzer and inline import cost in the real VS Code. The test writes a small build
// (dist/app.js with an esbuild metafile), a .perfauditrc.json with a 1 KB JS budget, a tiny package
// in node_modules and a TS file importing it, then: "Perf Auditor: Analyze Bundle" reports the
// entry over budget on the config file and in the sidebar's Bundle node, and the import line gets
// its gzip size computed by esbuild in the import-cost worker; a per-entry budget (bundle.entryBudgets)
// clears the sidebar's "over budget". Everything written is deleted at the
// end and the analysis re-run, so later suites see the demo as before.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  type PerfAuditorApi,
  type TreeSnapshot,
  SOURCE,
  codeValue,
  deletePath,
  describeDiagnostics,
  describeTree,
  extensionApi,
  fileExists,
  waitFor,
  workspaceUri,
} from './helpers';

const CONFIG = '.perfauditrc.json';
const WRITTEN = [CONFIG, 'dist', 'node_modules', 'src/cost-probe.ts'];

interface ImportCostResult {
  costs: { line: number; specifier: string; name: string; gzip?: number; size?: number; error?: string }[];
  decorations: number;
}
type BundleApi = PerfAuditorApi & { importCosts(doc: vscode.TextDocument): Promise<ImportCostResult | undefined> };

/** Minified-looking JS of about `kb` KB that gzip cannot shrink much (so it exceeds a 1 KB budget). */
function minifiedJs(kb: number): string {
  let x = 7;
  const rnd = (): number => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const parts: string[] = [];
  let len = 0;
  while (len < kb * 1024) {
    const id = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
    const s = `var ${id}=${Math.floor(rnd() * 1e9)};`;
    parts.push(s);
    len += s.length;
  }
  return `${parts.join('')}\n`;
}

async function write(rel: string, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(workspaceUri(rel), new TextEncoder().encode(text));
}

function find(nodes: TreeSnapshot[], label: string): TreeSnapshot | undefined {
  return nodes.find((n) => n.label === label);
}

describe('bundle analyzer and import cost', function () {
  this.timeout(120_000);
  let api: BundleApi;

  before(async () => {
    api = (await extensionApi()) as BundleApi;
    for (const p of WRITTEN) assert.strictEqual(await fileExists(workspaceUri(p)), false, `${p} exists before the test`);
    const js = minifiedJs(12);
    await write('dist/app.js', js);
    await write('dist/meta.json', JSON.stringify({
      inputs: { 'src/app.ts': { bytes: js.length, imports: [] } },
      outputs: { 'dist/app.js': { bytes: js.length, imports: [], exports: [], entryPoint: 'src/app.ts', inputs: { 'src/app.ts': { bytesInOutput: js.length - 1 } } } },
    }));
    await write(CONFIG, `${JSON.stringify({ budgets: { jsGzipKb: 1 } }, null, 2)}\n`);
    await write('node_modules/tiny-dates/package.json', `${JSON.stringify({ name: 'tiny-dates', version: '1.2.3', type: 'module', main: 'index.js' }, null, 2)}\n`);
    await write('node_modules/tiny-dates/index.js', `export function addDays(d, n) { const r = new Date(d); r.setDate(r.getDate() + n); return r; }\nexport function format(d) { return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); }\nexport const unused = ${JSON.stringify(minifiedJs(4))};\n`);
    await write('src/cost-probe.ts', "import { addDays, format } from 'tiny-dates';\n\nexport const tomorrow = (): string => format(addDays(new Date(), 1));\n");
  });

  after(async () => {
    for (const p of WRITTEN) await deletePath(workspaceUri(p));
    // Re-analyse the (now build-less) workspace so the bundle evidence and diagnostics are gone.
    await vscode.commands.executeCommand('perfAuditor.analyzeBundle', { noTreemap: true });
  });

  it('Analyze Bundle reports the entry over its budget on .perfauditrc.json', async () => {
    const r = await vscode.commands.executeCommand<{ findings: number; entries: number; problems: string[] } | undefined>('perfAuditor.analyzeBundle', { noTreemap: true });
    assert.ok(r, 'the command returned no result');
    assert.strictEqual(r.entries, 1, `entries: ${JSON.stringify(r)}`);
    const config = workspaceUri(CONFIG);
    const diag = await waitFor('the budget diagnostic on .perfauditrc.json', () => vscode.languages.getDiagnostics(config).find((d) => codeValue(d) === 'bundle-size-budget'), 15_000)
      .catch((e: Error) => {
        throw new Error(`${e.message}; diagnostics: ${describeDiagnostics(vscode.languages.getDiagnostics(config))}`);
      });
    assert.strictEqual(diag.source, SOURCE);
    assert.match(diag.message, /dist\/app\.js|src\/app\.ts/);
    assert.match(diag.message, /1 KB/);
    const doc = await vscode.workspace.openTextDocument(config);
    assert.match(doc.getText(diag.range), /jsGzipKb|budgets|1/, `the diagnostic points at the budget: ${JSON.stringify(doc.getText(diag.range))}`);
  });

  it('the sidebar Bundle node lists the entry as over budget', async () => {
    const bundle = await waitFor('Bundle > Entries showing 1 over budget', async () => {
      const b = find(await api.treeSnapshot(3), 'Bundle');
      const entries = b && find(b.children, 'Entries');
      return entries?.description?.includes('1 over budget') ? b : undefined;
    }, 15_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${describeTree(await api.treeSnapshot(3))}`);
    });
    const entries = find(bundle.children, 'Entries')!;
    assert.strictEqual(entries.children.length, 1, describeTree([bundle]));
    assert.match(entries.children[0].description ?? '', /JS .* gzip · over budget/, describeTree([bundle]));
    assert.ok(find(bundle.children, 'Largest files'), describeTree([bundle]));
  });

  it("bundle.entryBudgets raise the entry's budget: no diagnostic, not over budget in the sidebar", async () => {
    await write(CONFIG, `${JSON.stringify({ budgets: { jsGzipKb: 1 }, bundle: { entryBudgets: [{ path: 'dist/app*.js', jsGzipKb: 100 }] } }, null, 2)}\n`);
    await vscode.commands.executeCommand('perfAuditor.analyzeBundle', { noTreemap: true });
    const config = workspaceUri(CONFIG);
    await waitFor('no budget diagnostic', () => (vscode.languages.getDiagnostics(config).some((d) => codeValue(d) === 'bundle-size-budget') ? undefined : true), 15_000);
    const b = find(await api.treeSnapshot(3), 'Bundle')!;
    const entries = find(b.children, 'Entries')!;
    assert.match(entries.description ?? '', /0 over budget/, describeTree([b]));
    assert.doesNotMatch(entries.children[0].description ?? '', /over budget/, describeTree([b]));
  });

  it('an import in a TS file gets its gzip size from esbuild (import-cost decoration)', async () => {
    assert.strictEqual(typeof api.importCosts, 'function', 'exports.importCosts is not a function');
    const doc = await vscode.workspace.openTextDocument(workspaceUri('src/cost-probe.ts'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const r = await waitFor('import costs for src/cost-probe.ts', async () => {
      const x = await api.importCosts(doc);
      return x && x.costs.length ? x : undefined;
    }, 60_000, 500);
    assert.strictEqual(r.costs.length, 1, JSON.stringify(r));
    const [c] = r.costs;
    assert.strictEqual(c.error, undefined, `import cost error: ${c.error}`);
    assert.deepStrictEqual([c.line, c.specifier, c.name], [0, 'tiny-dates', 'tiny-dates']);
    // Tree-shaken: addDays + format only, not the 4 KB `unused` string.
    assert.ok(c.gzip! > 50 && c.gzip! < 1024, `gzip ${c.gzip}`);
    assert.ok(c.size! > c.gzip!, `minified ${c.size} > gzip ${c.gzip}`);
    assert.strictEqual(r.decorations, 1, 'one decorated import line');
  });
});
