/**
 * What the sidebar's Memory node shows of `.superagent/memory/*.md`: the team's insights, the
 * team's own metrics in performance-data.md (bullets and tables under System Performance,
 * Reliability Metrics, Cost Metrics), the audit history and the Lighthouse runs Perf Auditor
 * recorded, and the technical-architecture.md / workflows.md sections. Concise: the newest few
 * entries of each list, with when it was last updated. Pure (no `vscode`).
 */
import type { HistoryEntry, MemorySectionView, MemoryTable, MemoryView } from './memory.js';
import { MEMORY_FILES, PERF_DATA_SUBSECTIONS } from './memory.js';

export interface OutlineEntry {
  label: string;
  description?: string;
  tooltip?: string;
  /** Workspace-relative file to open on click. */
  file?: string;
  children?: OutlineEntry[];
}

/** What the Lighthouse history rows give (LighthouseHistoryEntry of analyzers/lighthouse/memory.ts). */
export interface LighthouseRunLike {
  date: string;
  url: string;
  preset: string;
  score: number | null;
  lcp: number | null;
  tti: number | null;
  budgets: string;
  failing: string[];
  notes: string;
}

export const OUTLINE_LIMITS = { bullets: 8, rows: 5, history: 10, lighthouse: 5, insights: 100 } as const;

const DIR = '.superagent/memory';
const DATE_RE = /\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?\b/;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const clip = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const seconds = (ms: number | null): string => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

function bulletEntry(b: MemorySectionView['bullets'][number]): OutlineEntry {
  const description = [b.status, b.impact].filter(Boolean).join(' — ');
  return {
    label: clip(b.topic ?? b.text),
    ...(b.topic && description ? { description: clip(description, 120) } : {}),
    tooltip: `${b.subsection || 'section text'}${b.ours ? ' (written by Perf Auditor)' : ''}\n${b.raw.trim()}`,
  };
}

function rowEntry(t: MemoryTable, row: string[]): OutlineEntry {
  const pairs = row.slice(1).map((c, i) => (t.header[i + 1] ? `${t.header[i + 1]}: ${c}` : c)).filter((c) => c.trim() !== '');
  return { label: clip(row[0] || '–', 40), ...(pairs.length ? { description: clip(pairs.join(' · '), 120) } : {}), tooltip: t.header.map((h, i) => `${h}: ${row[i] ?? ''}`).join('\n') };
}

/** The newest date named in the entries (dated table rows, bullets), for "last updated". */
function newestDate(texts: string[]): string | undefined {
  let best: string | undefined;
  for (const t of texts) {
    const m = DATE_RE.exec(t)?.[0];
    if (m && (best === undefined || m > best)) best = m;
  }
  return best;
}

/**
 * The team's own content of a section (not Perf Auditor's marker blocks), one entry per sub-section
 * (`''`: the section's own text) with its newest bullets and table rows.
 */
export function sectionOutline(v: MemorySectionView, subsections?: readonly string[]): OutlineEntry[] {
  const bullets = v.bullets.filter((b) => !b.ours);
  const tables = v.tables.filter((t) => !t.ours);
  const names = [...new Set([...(subsections ?? []), ...bullets.map((b) => b.subsection), ...tables.map((t) => t.subsection)])];
  const out: OutlineEntry[] = [];
  for (const name of names) {
    const bs = bullets.filter((b) => b.subsection === name);
    const ts = tables.filter((t) => t.subsection === name);
    if (!bs.length && !ts.length) continue;
    const children = [
      ...bs.slice(-OUTLINE_LIMITS.bullets).map(bulletEntry),
      ...ts.flatMap((t) => t.rows.slice(-OUTLINE_LIMITS.rows).map((r) => rowEntry(t, r))),
    ];
    const rows = ts.reduce((n, t) => n + t.rows.length, 0);
    const last = newestDate([...bs.map((b) => b.text), ...ts.flatMap((t) => t.rows.map((r) => r.join(' ')))]);
    const parts = [bs.length ? plural(bs.length, 'bullet') : '', ts.length ? plural(rows, 'table row') : '', last ? `last ${last}` : ''].filter(Boolean);
    const hidden = bs.length - Math.min(bs.length, OUTLINE_LIMITS.bullets) + ts.reduce((n, t) => n + Math.max(0, t.rows.length - OUTLINE_LIMITS.rows), 0);
    out.push({ label: name || 'Section text', description: `${parts.join(' · ')}${hidden ? ` (newest shown, ${hidden} more in the file)` : ''}`, children });
  }
  return out;
}

function updated(v: MemorySectionView & { lastUpdated?: string }, entries: OutlineEntry[]): string | undefined {
  if (v.lastUpdated) return v.lastUpdated;
  return newestDate(entries.map((e) => e.description ?? ''));
}

/** The Memory node's children. `lighthouse`: the Lighthouse history rows of performance-data.md, oldest first. */
export function memoryOutline(view: MemoryView, files: readonly string[], lighthouse: readonly LighthouseRunLike[] = []): OutlineEntry[] {
  if (!files.length) {
    return [{ label: 'No memory files yet', description: 'Perf Auditor: Write Audit to Memory creates them', tooltip: 'Teams keep project memory as markdown under .superagent/memory/ (insights.md, performance-data.md, …).' }];
  }
  const out: OutlineEntry[] = [];
  const ins = view.insights;
  if (ins.found) {
    out.push({
      label: 'Insights — Infrastructure & Performance',
      file: `${DIR}/${MEMORY_FILES.insights}`,
      description: `${MEMORY_FILES.insights}${ins.lastUpdated ? ` · updated ${ins.lastUpdated}` : ''} · ${plural(ins.bullets.length, 'bullet')}`,
      children: ins.bullets.slice(0, OUTLINE_LIMITS.insights).map(bulletEntry),
    });
  }
  const perf = view.performanceData;
  const perfFile = `${DIR}/${MEMORY_FILES.performanceData}`;
  if (perf.found) {
    const team = sectionOutline(perf, ['', ...PERF_DATA_SUBSECTIONS]);
    if (team.length) {
      const last = updated(perf, team);
      out.push({ label: 'Performance data — team metrics', file: perfFile, description: `${team.map((t) => t.label).join(', ')}${last ? ` · last updated ${last}` : ''}`, tooltip: 'What the team records in performance-data.md (## Infrastructure Performance Data), newest entries first shown', children: team });
    }
    const h = perf.history;
    out.push({
      label: 'Performance data — audit history',
      file: perfFile,
      description: h.length ? `${plural(h.length, 'audit')} · last ${h[h.length - 1].date}` : 'no audits recorded yet',
      children: h.slice(-OUTLINE_LIMITS.history).reverse().map((e: HistoryEntry) => ({ label: e.date, description: `score ${e.score ?? '?'} · ${e.findings ?? '?'} findings · ${e.fail ?? '?'} failing`, tooltip: e.raw })),
    });
  }
  if (lighthouse.length) {
    const last = lighthouse[lighthouse.length - 1];
    out.push({
      label: 'Lighthouse runs',
      file: perfFile,
      description: `${plural(lighthouse.length, 'run')} · last ${last.date}, score ${last.score ?? '?'}`,
      children: lighthouse.slice(-OUTLINE_LIMITS.lighthouse).reverse().map((e) => ({
        label: e.date,
        description: `score ${e.score ?? '?'} · LCP ${seconds(e.lcp)} · TTI ${seconds(e.tti)}${e.preset ? ` · ${e.preset}` : ''}`,
        tooltip: [e.url, e.budgets && `budgets: ${e.budgets}`, e.failing.length ? `failing: ${e.failing.join(', ')}` : 'no item failing', e.notes].filter(Boolean).join('\n'),
      })),
    });
  }
  const other = (label: string, file: string, v: MemorySectionView & { lastUpdated?: string }): void => {
    if (!v.found) return;
    const parts = sectionOutline(v, ['', ...v.subsections]);
    const ours = v.bullets.filter((b) => b.ours).length;
    const last = updated(v, parts);
    out.push({
      label,
      file: `${DIR}/${file}`,
      description: `${file} · ${parts.length ? parts.map((p) => p.label).join(', ') : 'empty'}${last ? ` · last updated ${last}` : ''}`,
      ...(ours ? { tooltip: `${plural(ours, 'bullet')} written by Perf Auditor not shown` } : {}),
      children: parts,
    });
  };
  other('Technical architecture — Infrastructure Systems', MEMORY_FILES.architecture, view.architecture);
  other('Workflows — Infrastructure Procedures', MEMORY_FILES.workflows, view.workflows);
  if (!out.length) out.push({ label: `${plural(files.length, 'memory file')}, none with infrastructure sections yet` });
  return out;
}
