/**
 * The bundle treemap page: per output file, a squarified treemap of packages (app code grouped by
 * folder) and their modules, sized by bytes in the output. Layout is computed here (pure, tested);
 * the page positions boxes with classes in a nonce'd <style> (a strict CSP forbids style=""
 * attributes), colours them with the theme's chart colours, and runs one nonce'd script that
 * switches outputs and posts `{ type: 'refresh' }` / `{ type: 'open', file }` messages.
 */
import { escapeHtml, headOpening } from '../../kernel/report/html.js';
import { dirname, formatBytes, posixJoin } from './paths.js';
import type { BundleAnalysis, OutputBreakdown } from './types.js';
import { cutTail, trimEndChar } from '../../kernel/linear.js';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TreemapItem<T> {
  value: number;
  data: T;
}

function worst(row: number[], side: number): number {
  const s = row.reduce((a, b) => a + b, 0);
  const max = Math.max(...row);
  const min = Math.min(...row);
  return Math.max((side * side * max) / (s * s), (s * s) / (side * side * min));
}

/** Squarified treemap (Bruls, Huizing, van Wijk): items laid out in `rect`, areas proportional to value. */
export function squarify<T>(items: TreemapItem<T>[], rect: Rect): { rect: Rect; item: TreemapItem<T> }[] {
  const list = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value);
  const total = list.reduce((s, i) => s + i.value, 0);
  const out: { rect: Rect; item: TreemapItem<T> }[] = [];
  if (!total || rect.w <= 0 || rect.h <= 0) return out;
  const scale = (rect.w * rect.h) / total;
  let { x, y, w, h } = rect;
  let i = 0;
  while (i < list.length) {
    const side = Math.min(w, h);
    const row: number[] = [list[i].value * scale];
    let j = i + 1;
    while (j < list.length) {
      const next = [...row, list[j].value * scale];
      if (worst(next, side) > worst(row, side)) break;
      row.push(list[j].value * scale);
      j++;
    }
    const sum = row.reduce((a, b) => a + b, 0);
    const thick = sum / side;
    let offset = 0;
    for (let k = 0; k < row.length; k++) {
      const len = row[k] / thick;
      const r = w >= h ? { x, y: y + offset, w: thick, h: len } : { x: x + offset, y, w: len, h: thick };
      out.push({ rect: r, item: list[i + k] });
      offset += len;
    }
    if (w >= h) {
      x += thick;
      w -= thick;
    } else {
      y += thick;
      h -= thick;
    }
    i = j;
  }
  return out;
}

interface Group {
  name: string;
  bytes: number;
  modules: { module: string; bytes: number }[];
}

const MAX_MODULES = 400;

/** Packages (and app folders) of one output, largest first; small modules beyond MAX_MODULES merge into "other". */
export function groupsOf(b: OutputBreakdown): Group[] {
  const groups = new Map<string, Group>();
  const sorted = [...b.modules].sort((x, y) => y.bytes - x.bytes);
  sorted.forEach((m, i) => {
    const name = m.pkg ?? appFolder(m.module);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, bytes: 0, modules: [] }));
    g.bytes += m.bytes;
    if (i < MAX_MODULES) g.modules.push({ module: m.module, bytes: m.bytes });
    else {
      const other = g.modules.find((x) => x.module === '(other modules)');
      if (other) other.bytes += m.bytes;
      else g.modules.push({ module: '(other modules)', bytes: m.bytes });
    }
  });
  if (b.unattributed > 0) groups.set('(not attributed)', { name: '(not attributed)', bytes: b.unattributed, modules: [{ module: b.preMinification ? '(runtime)' : '(unmapped bytes, runtime, line breaks)', bytes: b.unattributed }] });
  return [...groups.values()].sort((x, y) => y.bytes - x.bytes);
}

function appFolder(module: string): string {
  const p = module.replace(/\\/g, '/').replace(/^(webpack:\/\/[^/]*\/|\.\/|(\.\.\/)+)/, '');
  const parts = p.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts.length === 2 ? parts[0] : '(app)';
}

export interface TreemapPageOptions {
  nonce: string;
  cspSource: string;
  title?: string;
  /** Shown in the header (e.g. "analysed 14:05"). */
  subtitle?: string;
}

const COLORS = ['blue', 'green', 'orange', 'purple', 'yellow', 'red'];
const pct = (n: number): string => `${Math.round(n * 1000) / 1000}%`;

/** The whole webview page for an analysis. */
export function renderTreemapHtml(a: BundleAnalysis, o: TreemapPageOptions): string {
  const nonce = escapeHtml(o.nonce);
  const css: string[] = [];
  const sections: string[] = [];
  const outputs = [...a.breakdowns].sort((x, y) => y.modules.reduce((s, m) => s + m.bytes, 0) - x.modules.reduce((s, m) => s + m.bytes, 0));
  let n = 0;
  outputs.forEach((b, oi) => {
    const file = a.files.find((f) => f.path === b.output);
    const groups = groupsOf(b);
    const total = groups.reduce((s, g) => s + g.bytes, 0);
    const boxes: string[] = [];
    const laid = squarify(groups.map((g) => ({ value: g.bytes, data: g })), { x: 0, y: 0, w: 100, h: 100 });
    laid.forEach(({ rect, item }, gi) => {
      const g = item.data;
      const cls = `r${n++}`;
      css.push(`.${cls}{left:${pct(rect.x)};top:${pct(rect.y)};width:${pct(rect.w)};height:${pct(rect.h)}}`);
      const color = `c${gi % COLORS.length}`;
      const label = rect.w > 8 && rect.h > 5 ? `<span class="label">${escapeHtml(g.name)} <small>${escapeHtml(formatBytes(g.bytes))}</small></span>` : '';
      const inner: string[] = [];
      // Modules inside the group, below its label row.
      const pad = rect.h > 12 ? 3.2 : 0;
      const mods = squarify(g.modules.map((m) => ({ value: m.bytes, data: m })), { x: 0, y: pad, w: 100, h: 100 - pad });
      if (mods.length > 1 && rect.w > 3 && rect.h > 3) {
        for (const { rect: mr, item: mi } of mods) {
          const mcls = `r${n++}`;
          css.push(`.${mcls}{left:${pct(mr.x)};top:${pct(mr.y)};width:${pct(mr.w)};height:${pct(mr.h)}}`);
          const name = mi.data.module.split('/').slice(-2).join('/');
          const tip = `${mi.data.module} — ${formatBytes(mi.data.bytes)} (${((100 * mi.data.bytes) / total).toFixed(1)}%)`;
          const mlabel = (mr.w * rect.w) / 100 > 7 && (mr.h * rect.h) / 100 > 3 ? `<span class="mlabel">${escapeHtml(name)}</span>` : '';
          inner.push(`<div class="box module ${mcls}" title="${escapeHtml(tip)}" data-module="${escapeHtml(mi.data.module)}">${mlabel}</div>`);
        }
      }
      const tip = `${g.name} — ${formatBytes(g.bytes)} (${((100 * g.bytes) / total).toFixed(1)}%), ${g.modules.length} module${g.modules.length === 1 ? '' : 's'}`;
      boxes.push(`<div class="box group ${color} ${cls}" title="${escapeHtml(tip)}">${label}${inner.join('')}</div>`);
    });
    const sizes = file ? `${formatBytes(file.bytes)} raw${file.gzip !== undefined ? ` · ${formatBytes(file.gzip)} gzip` : ''}${file.brotli !== undefined ? ` · ${file.brotliApprox ? '~' : ''}${formatBytes(file.brotli)} brotli` : ''}` : '';
    sections.push(`<section class="output" data-index="${oi}"${oi ? ' hidden' : ''}>
<p class="meta">${escapeHtml(b.output)} — ${escapeHtml(sizes)} · from ${escapeHtml(b.from)} (${escapeHtml(b.source)}${b.preMinification ? ', pre-minification sizes' : ''})</p>
<div class="map" role="img" aria-label="${escapeHtml(`Treemap of ${b.output}`)}">${boxes.join('')}</div>
</section>`);
  });
  const options = outputs.map((b, i) => `<option value="${i}">${escapeHtml(b.output)}</option>`).join('');
  const title = o.title ?? 'Bundle treemap';
  const empty = outputs.length ? '' : `<p class="empty">No per-module breakdown: ${a.outputDirs.length ? 'no esbuild metafile, webpack stats or source map was found for the JS outputs.' : 'no build output folder was found.'} ${a.problems.map((p) => escapeHtml(p.message)).join(' ')}</p>`;
  const palette = COLORS.map((c, i) => `.c${i}{background:color-mix(in srgb,var(--vscode-charts-${c}) 28%,var(--vscode-editor-background))}.c${i} .module{background:color-mix(in srgb,var(--vscode-charts-${c}) 18%,var(--vscode-editor-background))}`).join('');
  return `${headOpening(title, o).join('\n')}
<style nonce="${nonce}">
body{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground);background:var(--vscode-editor-background);margin:0;padding:12px 16px}
header{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin-bottom:8px}
h1{font-size:1.2em;margin:0}
select,button{font:inherit;color:var(--vscode-dropdown-foreground);background:var(--vscode-dropdown-background);border:1px solid var(--vscode-dropdown-border,transparent);padding:2px 6px}
button{color:var(--vscode-button-foreground);background:var(--vscode-button-background);border:none;cursor:pointer}
button:hover{background:var(--vscode-button-hoverBackground)}
.meta,.sub{color:var(--vscode-descriptionForeground);margin:4px 0 8px}
.map{position:relative;width:100%;height:calc(100vh - 120px);min-height:320px}
.box{position:absolute;box-sizing:border-box;overflow:hidden;border:1px solid var(--vscode-editor-background)}
.group>.label{position:absolute;left:4px;top:2px;right:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-weight:600}
.module{border-color:color-mix(in srgb,var(--vscode-editor-background) 60%,transparent)}
.module:hover,.group:hover>.label{outline:1px solid var(--vscode-focusBorder)}
.mlabel{position:absolute;left:3px;top:1px;right:3px;font-size:.85em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;opacity:.9}
small{font-weight:400;opacity:.8}
.empty{color:var(--vscode-descriptionForeground)}
${palette}
${css.join('\n')}
</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>${outputs.length > 1 ? `<label>Output <select id="output">${options}</select></label>` : ''}<button id="refresh" type="button">Re-analyze</button></header>
${o.subtitle ? `<p class="sub">${escapeHtml(o.subtitle)}</p>` : ''}
${empty}${sections.join('\n')}
<script nonce="${nonce}">${TREEMAP_SCRIPT}</script>
</body>
</html>`;
}

export const TREEMAP_SCRIPT = `(function () {
  'use strict';
  var vscode = acquireVsCodeApi();
  var select = document.getElementById('output');
  var state = vscode.getState() || {};
  function show(i) {
    document.querySelectorAll('section.output').forEach(function (s) { s.hidden = s.getAttribute('data-index') !== String(i); });
    vscode.setState({ output: i });
  }
  if (select) {
    if (state.output !== undefined && select.querySelector('option[value="' + state.output + '"]')) { select.value = String(state.output); show(state.output); }
    select.addEventListener('change', function () { show(select.value); });
  }
  document.getElementById('refresh').addEventListener('click', function () { vscode.postMessage({ type: 'refresh' }); });
  document.addEventListener('dblclick', function (e) {
    var t = e.target instanceof Element ? e.target.closest('[data-module]') : null;
    if (t) vscode.postMessage({ type: 'open', module: t.getAttribute('data-module') || '' });
  });
})();`;

export type TreemapMessage = { type: 'refresh' } | { type: 'open'; module: string };

/** Validates a message from the (untrusted) page. */
export function parseTreemapMessage(m: unknown): TreemapMessage | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'refresh') return { type: 'refresh' };
  if (o.type === 'open' && typeof o.module === 'string' && o.module.length < 4096) return { type: 'open', module: o.module };
  return undefined;
}

/**
 * The workspace-relative file a treemap module names (for "double-click to open"), or why it cannot
 * be opened. Source-map module names are relative to the map's folder (`../src/index.js` from
 * `dist/app.js.map`; the output's folder for inline maps), webpack's carry a `webpack://name/`
 * prefix, metafile and stats paths are relative to the build's working folder (the workspace root).
 * The result never leaves the workspace folder (the page that asks is not trusted).
 */
export function moduleFilePath(a: BundleAnalysis, module: string): { path: string } | { reason: string } {
  const b = a.breakdowns.find((x) => x.modules.some((m) => m.module === module));
  if (!b) return { reason: `${module} is not in the current analysis` };
  let rel = cutTail(module.replace(/\\/g, '/').replace(/^webpack:\/\/[^/]*\//, ''), '?#');
  if (rel.includes('\0') || rel.includes('!') || /^[a-z][a-z0-9+.-]*:/i.test(rel) || /^\(.*\)$/.test(rel) || /^<.*>$/.test(rel)) return { reason: `${module} is not a file (a bundler or virtual module)` };
  if (rel.startsWith('/')) {
    const root = trimEndChar(a.root.replace(/\\/g, '/'), '/');
    if (!root || root === '.' || !rel.startsWith(`${root}/`)) return { reason: `${module} is outside the workspace folder` };
    rel = rel.slice(root.length + 1);
  } else if (b.source === 'source-map' && !/^webpack:\/\//.test(module)) {
    // (webpack:// sources are relative to the webpack context, the project folder, not to the map.)
    const inline = b.from.startsWith('data:') || b.from.endsWith(' (inline)');
    rel = posixJoin(dirname(inline ? b.output : b.from), rel);
  }
  const path = posixJoin(rel);
  if (!path || path === '..' || path.startsWith('../')) return { reason: `${module} resolves to ${path || 'the workspace folder itself'}, outside the workspace folder` };
  return { path };
}
