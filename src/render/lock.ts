/**
 * The lock that serialises renders to one --out: `OUT/.wavegate.lock`, created exclusively
 * ('wx') and holding the owner's pid. A render waits while another live render holds it,
 * takes over a lock whose pid is no longer running (a killed render), and removes it when done.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { fsReason } from '../fsutil.js';

export const LOCK_FILE = '.wavegate.lock';

/** How long a render waits for another one to finish (ms). */
const LOCK_WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 50;

export interface OutputLock {
  file: string;
  release(): void;
}

/** True when a process with this pid runs (on this host). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(text: string): { pid: number; host: string } | undefined {
  const m = /^pid (\d+) host (\S*)/.exec(text);
  return m ? { pid: Number(m[1]), host: m[2]! } : undefined;
}

/** A lock left by a render that no longer runs (same host, pid gone), or an unreadable one. */
function stale(text: string): boolean {
  const o = ownerOf(text);
  if (!o) return true;
  return o.host === hostname() && !alive(o.pid);
}

/**
 * Takes over a stale lock: it is renamed aside first (only one of several renders doing this
 * succeeds), checked again, and deleted; a lock that turned out live is put back.
 */
function takeOver(file: string): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // gone already: another render took it over
  }
  let text = '';
  try {
    text = readFileSync(aside, 'utf8');
  } catch {
    /* unreadable: stale */
  }
  if (!stale(text)) {
    try {
      linkSync(aside, file); // put back, unless a new lock appeared meanwhile
    } catch {
      /* a newer lock is there */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* removed */
  }
}

/** Waits for and takes the lock of `outRoot` (shownOut names it in messages). */
export async function acquireOutputLock(
  outRoot: string,
  shownOut: string,
  waitMs = LOCK_WAIT_MS,
  onWait?: (holder: string) => void,
): Promise<OutputLock> {
  let told = false;
  const file = join(outRoot, LOCK_FILE);
  const content = `pid ${process.pid} host ${hostname()} started ${new Date().toISOString()}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    // The lock appears with its content in one step (written aside, then hard-linked into
    // place, which fails if a lock is there): a render never reads a lock still empty and
    // takes it for a stale one.
    const aside = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
    let made = false;
    try {
      writeFileSync(aside, content, { flag: 'wx', mode: 0o644 });
      linkSync(aside, file);
      made = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        try {
          unlinkSync(aside);
        } catch {
          /* not created */
        }
        throw new UserError(`--out ${shownOut}: cannot create ${LOCK_FILE}: ${fsReason(e)}`);
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      /* not created */
    }
    if (made) break;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // released just now
    }
    if (stale(text)) {
      takeOver(file);
      continue;
    }
    if (Date.now() > deadline) {
      const o = ownerOf(text);
      throw new UserError(
        `--out ${shownOut}: another wavegate render (pid ${o?.pid ?? '?'}${o && o.host !== hostname() ? ` on ${o.host}` : ''}) is writing there; waited ${Math.round(waitMs / 1000)} s. ` +
          `If no render runs, remove ${join(shownOut, LOCK_FILE)}`,
      );
    }
    if (!told) {
      told = true;
      const o = ownerOf(text);
      onWait?.(`pid ${o?.pid ?? '?'}${o && o.host !== hostname() ? ` on ${o.host}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      try {
        if (readFileSync(file, 'utf8') === content) unlinkSync(file);
      } catch {
        /* already gone */
      }
    },
  };
}
