/**
 * Finding a Chromium to run Lighthouse with: the setting (perfAuditor.lighthouse.chromePath /
 * --chrome-path), then CHROME_PATH, then the usual install locations and names on PATH. An explicit
 * path that does not exist is an error (not silently replaced by another browser).
 */
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

export type ChromeSource = 'setting' | 'CHROME_PATH' | 'system';

export type ChromeDiscovery =
  | { found: true; path: string; source: ChromeSource }
  | { found: false; message: string; tried: string[] };

export interface FindChromeOptions {
  /** perfAuditor.lighthouse.chromePath / --chrome-path. */
  configured?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** For tests. */
  isExecutable?: (p: string) => boolean;
  /** Name of the setting in messages (the CLI says --chrome-path). */
  settingName?: string;
}

function executable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function commonChromePaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    const home = env.HOME ?? '';
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge', 'Brave Browser.app/Contents/MacOS/Brave Browser'];
    return [...apps.map((a) => `/Applications/${a}`), ...(home ? apps.map((a) => path.posix.join(home, 'Applications', a)) : [])];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.ProgramW6432].filter((r): r is string => !!r);
    const rel = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Google\\Chrome SxS\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return roots.flatMap((r) => rel.map((x) => path.win32.join(r, x)));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome', 'microsoft-edge-stable', 'microsoft-edge'];
  const dirs = ['/usr/bin', '/usr/local/bin', '/snap/bin', ...(env.PATH ?? '').split(':').filter((d) => d.startsWith('/'))];
  const out = [...new Set(dirs)].flatMap((d) => names.map((n) => path.posix.join(d, n)));
  out.push('/opt/google/chrome/chrome', '/opt/chromium/chrome', '/usr/lib/chromium/chromium');
  return [...new Set(out)];
}

export function installAdvice(platform: NodeJS.Platform, settingName = 'perfAuditor.lighthouse.chromePath'): string {
  const how =
    platform === 'darwin'
      ? 'install Google Chrome (https://www.google.com/chrome/) or Chromium (`brew install --cask chromium`)'
      : platform === 'win32'
        ? 'install Google Chrome (https://www.google.com/chrome/); Microsoft Edge also works'
        : 'install Chromium (Debian: `sudo apt-get install chromium`; Ubuntu: `sudo snap install chromium`; Fedora: `sudo dnf install chromium`) or Google Chrome';
  return `Lighthouse needs Chrome or Chromium: ${how}, or point "${settingName}" (or the CHROME_PATH environment variable) at its executable.`;
}

export function findChrome(opts: FindChromeOptions = {}): ChromeDiscovery {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const isExe = opts.isExecutable ?? executable;
  const setting = opts.settingName ?? 'perfAuditor.lighthouse.chromePath';
  const configured = opts.configured?.trim();
  if (configured) {
    if (isExe(configured)) return { found: true, path: configured, source: 'setting' };
    return { found: false, tried: [configured], message: `"${setting}" is set to ${configured}, which is not an executable file. Fix the path or clear the setting to use the installed Chrome/Chromium. ${installAdvice(platform, setting)}` };
  }
  const fromEnv = env.CHROME_PATH?.trim();
  if (fromEnv) {
    if (isExe(fromEnv)) return { found: true, path: fromEnv, source: 'CHROME_PATH' };
    return { found: false, tried: [fromEnv], message: `CHROME_PATH is set to ${fromEnv}, which is not an executable file. Fix or unset it. ${installAdvice(platform, setting)}` };
  }
  const tried = commonChromePaths(platform, env);
  for (const p of tried) if (isExe(p)) return { found: true, path: p, source: 'system' };
  return { found: false, tried, message: `No Chrome or Chromium found. ${installAdvice(platform, setting)}` };
}
