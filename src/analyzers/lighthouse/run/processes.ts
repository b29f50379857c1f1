/**
 * Stopping Chromium for good: its whole process group (chrome-launcher starts it detached, so the
 * browser is a group leader and its renderers/GPU/zygote processes share the group), plus any
 * process still naming our profile directory on its command line (a launch interrupted before the
 * pid was known). Only ever our own processes: the profile directory is unique per run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';

/** Running (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      return !/^\d+ \(.*\) [ZX]/s.test(stat);
    } catch {
      return false;
    }
  }
  return true;
}

/** SIGKILL a process group (POSIX) or a process tree (Windows). Never throws. */
export function killProcessGroup(pid: number | undefined): void {
  if (!pid || pid <= 0) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Pids (other than ours) whose command line contains `needle`. Linux: /proc; macOS: ps; Windows: none. */
export function processesWithArg(needle: string): number[] {
  if (!needle) return [];
  const out: number[] = [];
  if (process.platform === 'linux') {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return [];
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      const pid = Number(e);
      if (pid === process.pid) continue;
      try {
        const cmd = readFileSync(`/proc/${e}/cmdline`, 'latin1');
        if (cmd.includes(needle)) out.push(pid);
      } catch {
        // exited meanwhile, or not ours to read
      }
    }
    return out;
  }
  if (process.platform === 'darwin') {
    try {
      const ps = execFileSync('ps', ['-axo', 'pid=,command='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      for (const line of ps.split('\n')) {
        const m = /^\s*(\d+)\s+(?!\s)(.*)$/.exec(line);
        if (m && m[2].includes(needle) && Number(m[1]) !== process.pid) out.push(Number(m[1]));
      }
    } catch {
      // no ps
    }
  }
  return out;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Kill Chromium's group and every process using `profileDir`, wait (bounded) until they are gone,
 * then remove the profile. Returns the pids that survived (empty when all is clean).
 */
export async function stopChromeAndRemoveProfile(chromePid: number | undefined, profileDir: string | undefined, waitMs = 5000): Promise<number[]> {
  killProcessGroup(chromePid);
  const deadline = Date.now() + waitMs;
  let left: number[];
  for (;;) {
    left = profileDir ? processesWithArg(profileDir) : [];
    for (const pid of left) {
      killProcessGroup(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (chromePid && alive(chromePid)) left.push(chromePid);
    if (!left.length || Date.now() > deadline) break;
    await sleep(100);
  }
  if (profileDir) {
    for (let i = 0; i < 20 && existsSync(profileDir); i++) {
      try {
        rmSync(profileDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
      } catch {
        await sleep(100);
      }
    }
  }
  return left;
}
