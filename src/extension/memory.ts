/**
 * Workspace memory (.superagent/memory/*.md): the sidebar's Memory node shows what the team already
 * records; a command (and an opt-in setting after each audit) writes the audit into insights.md and
 * performance-data.md through the core's lossless, atomic, conflict-checked updates.
 */
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import type { Node } from './nodes.js';
import type { MemoryView } from '../kernel/memory/memory.js';
import type { LighthouseRunLike } from '../kernel/memory/outline.js';
import type { WorkspaceAudit } from '../kernel/audit.js';
import { readWorkspaceText } from './files.js';

const MEMORY_GLOB = '.superagent/memory/*.md';

/** An open editor with unsaved edits of this file (writing the file would collide with them). */
export function dirtyDocument(fsPath: string): vscode.TextDocument | undefined {
  const want = vscode.Uri.file(fsPath).toString();
  return vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.scheme === 'file' && d.uri.toString() === want);
}

/** Retries waiting for a file's next save, by purpose and file (the newest retry per key wins). */
const waitingForSave = new Map<string, { fsPath: string; retry: () => Promise<void> }>();
let saveListener: vscode.Disposable | undefined;

/**
 * Runs `retry` after the next save of `fsPath` (instead of writing over an editor's unsaved edits
 * now). `key` names the pending write: a newer one replaces an older one of the same key.
 */
export function retryAfterSave(ctx: Ctx, key: string, fsPath: string, retry: () => Promise<void>): void {
  waitingForSave.set(`${key}\n${vscode.Uri.file(fsPath).toString()}`, { fsPath, retry });
  if (saveListener) return;
  saveListener = vscode.workspace.onDidSaveTextDocument((doc) => {
    for (const [k, w] of [...waitingForSave]) {
      if (doc.uri.scheme !== 'file' || doc.uri.toString() !== vscode.Uri.file(w.fsPath).toString()) continue;
      waitingForSave.delete(k);
      ctx.output.info(`Memory: ${doc.uri.fsPath} saved; writing what was held back.`);
      w.retry().catch((e: unknown) => ctx.output.warn(`Memory: retry after save failed: ${(e as Error).message}`));
    }
  });
  ctx.disposables.push(saveListener, { dispose: () => { saveListener = undefined; waitingForSave.clear(); } });
}

export class MemoryIntegration {
  private view?: MemoryView;
  private lighthouse: LighthouseRunLike[] = [];
  private files: string[] = [];
  private loading?: Promise<void>;
  /** Bumped by every reload: only the newest read may publish its result. */
  private generation = 0;

  constructor(private readonly ctx: Ctx) {
    ctx.memoryNodes = () => this.nodes();
    ctx.memorySummary = () => this.summary();
    ctx.memoryHistory = async () => {
      await this.load();
      const { trendEntries } = await import('../kernel/memory/memory.js');
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
        if (written?.length) void vscode.window.showInformationMessage(`Perf Auditor: audit recorded in ${written.join(' and ')} (.superagent/memory).`);
      }),
      ctx.onDidAudit((audit) => {
        // Nothing is written automatically in Restricted Mode (the setting itself may come from the
        // untrusted workspace's .vscode/settings.json).
        if (vscode.workspace.isTrusted && vscode.workspace.getConfiguration('perfAuditor').get<boolean>('memory.updateAfterAudit', false)) {
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
      const [{ readMemory }, { parseLighthouseHistory }] = await Promise.all([import('../kernel/memory/memory.js'), import('../analyzers/lighthouse/memory.js')]);
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
          files.push({ name, text: await readWorkspaceText(uri) });
        }
      } catch {
        // no memory folder yet
      }
      if (gen !== this.generation) return; // a newer reload superseded this read
      this.files = files.map((f) => f.name);
      this.outline ??= (await import('../kernel/memory/outline.js')).memoryOutline;
      this.view = readMemory(files);
      this.lighthouse = parseLighthouseHistory(files.find((f) => f.name.toLowerCase() === 'performance-data.md')?.text);
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
    if (!v || !this.outline) {
      void this.load().then(() => this.ctx.tree?.refresh());
      return [{ kind: 'memory-entry', label: 'Reading .superagent/memory…' }];
    }
    return this.outline(v, this.files, this.lighthouse).map((e) => ({ kind: 'memory-entry', ...e }));
  }

  /** memoryOutline (core/memory/outline.ts), loaded with the first read. */
  private outline?: typeof import('../kernel/memory/outline.js').memoryOutline;

  /**
   * Writes insights.md and performance-data.md. A file open in an editor with unsaved edits is not
   * written (that would collide with the edits): it is logged, and written after the editor saves.
   * Returns the files written, or undefined on failure (reported).
   */
  async write(audit: WorkspaceAudit, quiet = false): Promise<string[] | undefined> {
    const root = this.root();
    if (!root || root.scheme !== 'file') {
      if (!quiet) void vscode.window.showWarningMessage('Perf Auditor: writing memory needs a local folder.');
      return undefined;
    }
    const { updateInsights, appendPerformanceData, entryFromAudit, localDate } = await import('../kernel/memory/index.js');
    const { updateMemoryFile, memoryDir } = await import('../kernel/memory/store.js');
    const path = await import('node:path');
    const dir = memoryDir(root.fsPath);
    const date = localDate();
    const settings = `perf-auditor ${String(this.ctx.extension.extension.packageJSON.version ?? '')}`;
    const targets = [
      { name: 'insights.md', transform: (t: string | undefined) => updateInsights(t, audit, date) },
      { name: 'performance-data.md', transform: (t: string | undefined) => appendPerformanceData(t, entryFromAudit(audit, date, settings)) },
    ].map((x) => ({ ...x, file: path.join(dir, x.name) }));
    const held = targets.filter((x) => dirtyDocument(x.file));
    for (const x of held) {
      this.ctx.output.info(`Memory: ${x.name} has unsaved edits in an editor; not written now (that would collide with them). It is written after the editor saves it.`);
      retryAfterSave(this.ctx, 'audit', x.file, async () => {
        const latest = this.ctx.audit ?? audit;
        await this.write(latest, true);
      });
    }
    const todo = targets.filter((x) => !held.includes(x));
    const results = await Promise.all(todo.map((x) => updateMemoryFile(x.file, x.transform)));
    const failed = results.map((r, i) => (r.status === 'conflict' || r.status === 'error' ? `${todo[i].name}: ${r.status === 'error' ? r.message : 'changed on disk while writing; not overwritten'}` : undefined)).filter(Boolean);
    await this.reload();
    if (failed.length) {
      this.ctx.output.warn(`Memory not fully written: ${failed.join('; ')}`);
      if (!quiet) void vscode.window.showWarningMessage(`Perf Auditor: ${failed.join('; ')}`);
      return undefined;
    }
    if (held.length && !quiet) void vscode.window.showWarningMessage(`Perf Auditor: ${held.map((x) => x.name).join(' and ')} ha${held.length === 1 ? 's' : 've'} unsaved edits in an editor; ${held.length === 1 ? 'it is' : 'they are'} written after you save.`);
    return todo.map((x) => x.name);
  }
}
