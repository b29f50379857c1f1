/**
 * Workspace memory (.superagent/memory/*.md): the sidebar's Memory node shows what the team already
 * records; a command (and an opt-in setting after each audit) writes the audit into insights.md and
 * performance-data.md through the core's lossless, atomic, conflict-checked updates.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Node } from './tree.js';
import type { MemoryView } from '../core/memory/memory.js';
import type { WorkspaceAudit } from '../core/audit.js';

const MEMORY_GLOB = '.superagent/memory/*.md';

export class MemoryIntegration {
  private view?: MemoryView;
  private files: string[] = [];
  private loading?: Promise<void>;
  /** Bumped by every reload: only the newest read may publish its result. */
  private generation = 0;

  constructor(private readonly ctx: Ctx) {
    ctx.memoryNodes = () => this.nodes();
    ctx.memorySummary = () => this.summary();
    ctx.memoryHistory = async () => {
      await this.load();
      const { trendEntries } = await import('../core/memory/memory.js');
      return trendEntries(this.view?.performanceData.history ?? []);
    };
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, MEMORY_GLOB));
      const reload = (): void => void this.reload();
      ctx.disposables.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
    }
    ctx.disposables.push(
      vscode.commands.registerCommand('perfAuditor.writeMemory', async () => {
        const audit = ctx.audit ?? (await ctx.runAudit());
        if (!audit) return;
        const written = await this.write(audit);
        if (written) void vscode.window.showInformationMessage(`Perf Auditor: audit recorded in ${written.join(' and ')} (.superagent/memory).`);
      }),
      ctx.onDidAudit((audit) => {
        if (vscode.workspace.getConfiguration('perfAuditor').get<boolean>('memory.updateAfterAudit', false)) {
          void this.write(audit, true);
        } else {
          // File watchers can miss files created together with their folders: re-read after audits too.
          void this.reload();
        }
      }),
    );
  }

  private root(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  async reload(): Promise<void> {
    this.generation++;
    this.loading = undefined;
    await this.load();
    this.ctx.tree?.refresh();
  }

  async load(): Promise<void> {
    const gen = this.generation;
    this.loading ??= (async () => {
      const root = this.root();
      if (!root) return;
      const { readMemory } = await import('../core/memory/memory.js');
      const dir = vscode.Uri.joinPath(root, '.superagent', 'memory');
      const files: { name: string; text: string }[] = [];
      try {
        for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
          if (type !== vscode.FileType.File || !name.endsWith('.md')) continue;
          const uri = vscode.Uri.joinPath(dir, name);
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > 1024 * 1024) {
            this.ctx.output.warn(`Memory file ${name} is over 1 MB: not read.`);
            continue;
          }
          files.push({ name, text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)) });
        }
      } catch {
        // no memory folder yet
      }
      if (gen !== this.generation) return; // a newer reload superseded this read
      this.files = files.map((f) => f.name);
      this.view = readMemory(files);
      for (const w of this.view.warnings) this.ctx.output.warn(`Memory: ${w}`);
    })();
    return this.loading;
  }

  summary(): string | undefined {
    if (!this.view) {
      void this.load().then(() => this.ctx.tree?.refresh());
      return undefined;
    }
    if (!this.files.length) return 'no .superagent/memory files';
    const h = this.view.performanceData.history;
    const last = h[h.length - 1];
    return `${this.files.length} file${this.files.length === 1 ? '' : 's'}${last ? ` · last audit ${last.date}, score ${last.score ?? '?'}` : ''}`;
  }

  nodes(): Node[] {
    const v = this.view;
    if (!v || !this.files.length) {
      return [{ kind: 'memory-entry', label: 'No memory files yet', description: 'Perf Auditor: Write Audit to Memory creates them', tooltip: 'Teams keep project memory as markdown under .superagent/memory/ (insights.md, performance-data.md, …).' }];
    }
    const out: Node[] = [];
    const section = (label: string, file: string, s: MemoryView['insights'] | MemoryView['architecture'], extra?: string): void => {
      if (!s.found) return;
      const bullets = s.bullets.slice(0, 100).map((b) => ({
        label: b.topic ?? b.text.slice(0, 80),
        description: [b.status, b.impact].filter(Boolean).join(' — ') || (b.topic ? undefined : ''),
        tooltip: `${b.subsection ?? ''}${b.ours ? ' (written by Perf Auditor)' : ''}\n${b.raw.trim()}`,
      }));
      out.push({ kind: 'memory-entry', label, description: `${file}${extra ? ` · ${extra}` : ''} · ${s.bullets.length} bullet${s.bullets.length === 1 ? '' : 's'}`, file: `.superagent/memory/${file}`, children: bullets });
    };
    section('Insights — Infrastructure & Performance', 'insights.md', v.insights, v.insights.lastUpdated ? `updated ${v.insights.lastUpdated}` : undefined);
    const h = v.performanceData.history;
    if (v.performanceData.found) {
      out.push({
        kind: 'memory-entry', label: 'Performance data — audit history', file: '.superagent/memory/performance-data.md',
        description: `${h.length} audit${h.length === 1 ? '' : 's'}`,
        children: h.slice(-20).reverse().map((e) => ({ label: e.date, description: `score ${e.score ?? '?'} · ${e.findings ?? '?'} findings · ${e.fail ?? '?'} failing`, tooltip: e.raw })),
      });
    }
    section('Technical architecture — Infrastructure Systems', 'technical-architecture.md', v.architecture);
    section('Workflows — Infrastructure Procedures', 'workflows.md', v.workflows);
    if (!out.length) out.push({ kind: 'memory-entry', label: `${this.files.length} memory files, none with infrastructure sections yet` });
    return out;
  }

  /** Writes insights.md and performance-data.md. Returns the files written, or undefined on failure (reported). */
  async write(audit: WorkspaceAudit, quiet = false): Promise<string[] | undefined> {
    const root = this.root();
    if (!root || root.scheme !== 'file') {
      if (!quiet) void vscode.window.showWarningMessage('Perf Auditor: writing memory needs a local folder.');
      return undefined;
    }
    const { updateInsights, appendPerformanceData, entryFromAudit } = await import('../core/memory/memory.js');
    const { updateMemoryFile, memoryDir } = await import('../core/memory/store.js');
    const path = await import('node:path');
    const dir = memoryDir(root.fsPath);
    const date = new Date().toISOString().slice(0, 10);
    const settings = `perf-auditor ${String(this.ctx.extension.extension.packageJSON.version ?? '')}`;
    const results = await Promise.all([
      updateMemoryFile(path.join(dir, 'insights.md'), (t) => updateInsights(t, audit, date)),
      updateMemoryFile(path.join(dir, 'performance-data.md'), (t) => appendPerformanceData(t, entryFromAudit(audit, date, settings))),
    ]);
    const names = ['insights.md', 'performance-data.md'];
    const failed = results.map((r, i) => (r.status === 'conflict' || r.status === 'error' ? `${names[i]}: ${r.status === 'error' ? r.message : 'changed on disk while writing; not overwritten'}` : undefined)).filter(Boolean);
    await this.reload();
    if (failed.length) {
      this.ctx.output.warn(`Memory not fully written: ${failed.join('; ')}`);
      if (!quiet) void vscode.window.showWarningMessage(`Perf Auditor: ${failed.join('; ')}`);
      return undefined;
    }
    return names;
  }
}
