// Issue 13, items 6 and 7: `render --out` replaces only environment folders it wrote (the
// .wavegate-render marker), refuses others; concurrent renders to one --out serialise on
// OUT/.wavegate.lock, a render exiting 0 leaves every environment complete, and no render's
// recovery deletes another's staging folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { put, tempDirs } from '../helpers/tree.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { RENDER_MARKER, renderCatalog, renderInMemory, TESTS_DIR } from '../../src/render/index.js';
import { LOCK_FILE, acquireOutputLock } from '../../src/render/lock.js';

const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const AMEIDE = join(__dirname, '..', '..', 'examples', 'ameide');
const temp = tempDirs('wavegate-sec-r-');
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}
function render(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, 'render', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A catalog with one environment named `env` and nothing to gate (render writes the health patches). */
function small(env = 'dev'): string {
  const root = temp();
  put(root, `environments/${env}/components/a/component.yaml`, { name: 'a', tier: 'foundation', wave: 1 });
  return root;
}

describe('render replaces only folders it wrote', () => {
  it("--out at the catalog root with an environment named src: the catalog's src/ is refused, not deleted", () => {
    const root = small('src');
    put(root, 'src/main.ts', 'precious source');
    const r = spawnSync(process.execPath, [BIN, 'render', '.', '--out', '.'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `wavegate: error: --out: src exists and was not written by wavegate render (no ${RENDER_MARKER} in it); render replaces only environment folders it wrote. Remove it, or choose another --out\n`,
    );
    expect(readFileSync(join(root, 'src/main.ts'), 'utf8')).toBe('precious source');
    expect(readdirSync(root).filter((n) => n.includes('wavegate-new') || n.includes('wavegate-old') || n === LOCK_FILE)).toEqual([]);
  });

  it('a folder it wrote before is replaced (it has the marker); a symlink in its place is refused', async () => {
    const root = small();
    const out = temp();
    expect((await renderCatalog(loadCatalog(root), { out })).written).toBe(true);
    expect(readFileSync(join(out, 'dev', RENDER_MARKER), 'utf8')).toMatch(/written by wavegate render/);
    expect((await renderCatalog(loadCatalog(root), { out })).written).toBe(true);
    rmSync(join(out, 'dev'), { recursive: true });
    const elsewhere = temp();
    writeFileSync(join(elsewhere, RENDER_MARKER), 'x');
    symlinkSync(elsewhere, join(out, 'dev'));
    await expect(renderCatalog(loadCatalog(root), { out })).rejects.toThrow(/dev exists and is a symlink/);
    expect(readdirSync(elsewhere)).toEqual([RENDER_MARKER]);
  });
});

describe('a render that writes nothing leaves no trace', () => {
  it('an --out made for a render with error findings is removed again (and no lock is left)', async () => {
    const root = temp();
    put(root, 'environments/dev/components/a/component.yaml', { name: 'a', tier: 'foundation', wave: 1, health: ['example.com/Nothing'] });
    const out = join(temp(), 'new-out');
    const r = await renderCatalog(loadCatalog(root), { out });
    expect(r.written).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});

describe('concurrent renders to one --out', () => {
  it('two renders of examples/ameide at once (child processes, twice over): both exit 0, each environment complete, nothing left over', async () => {
    const expected = await renderInMemory(loadCatalog(AMEIDE), {});
    const want = new Map(expected.environments.map((e) => [e.name, [...e.files.map((f) => f.path), RENDER_MARKER].sort()]));
    const wantTests = new Map(expected.environments.map((e) => [e.name, [...e.testFiles.map((f) => f.path), RENDER_MARKER].sort()]));
    expect(want.size).toBe(3);
    const out = temp();
    for (let round = 0; round < 2; round++) {
      const [a, b] = await Promise.all([render([AMEIDE, '--out', out]), render([AMEIDE, '--out', out])]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      // the one that waited said so (on stderr, so --format json stays clean)
      expect(
        (a.stderr + b.stderr).match(/^wavegate: waiting for another render \(pid \d+\) writing to /gm)?.length ?? 0,
      ).toBeLessThanOrEqual(1);
      expect(readdirSync(out).sort()).toEqual([TESTS_DIR, ...want.keys()].sort());
      expect(readdirSync(join(out, TESTS_DIR)).sort()).toEqual([...want.keys()].sort());
      for (const [env, list] of want) expect(files(join(out, env)), env).toEqual(list);
      for (const [env, list] of wantTests) expect(files(join(out, TESTS_DIR, env)), env).toEqual(list);
    }
  }, 120_000);

  it('a lock held by a live render makes the next one wait, and fail cleanly when it waits too long', async () => {
    const out = temp();
    const held = await acquireOutputLock(out, 'OUT');
    expect(readFileSync(join(out, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^pid ${process.pid} host `));
    const told: string[] = [];
    await expect(acquireOutputLock(out, 'OUT', 200, (h) => told.push(h))).rejects.toThrow(
      `--out OUT: another wavegate render (pid ${process.pid}) is writing there; waited 0 s. If no render runs, remove OUT/${LOCK_FILE}`,
    );
    expect(told).toEqual([`pid ${process.pid}`]); // told once, not at every poll
    held.release();
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    const next = await acquireOutputLock(out, 'OUT', 200);
    next.release();
  });

  it('a stale lock (its pid no longer runs) is taken over; the render removes its lock when done', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const out = temp();
    writeFileSync(join(out, LOCK_FILE), `pid ${dead.stdout} host ${hostname()} started 2026-01-01T00:00:00.000Z\n`);
    const r = await render([small(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([TESTS_DIR, 'dev']);
  });

  it("recovery removes a dead render's staging folders only while holding the lock", async () => {
    const out = temp();
    const root = small();
    const held = await acquireOutputLock(out, 'OUT');
    // another render's staging folder, mid-write, while it holds the lock
    mkdirSync(join(out, 'dev.wavegate-new-999-abc'));
    writeFileSync(join(out, 'dev.wavegate-new-999-abc', 'half'), 'x');
    const waiting = renderCatalog(loadCatalog(root), { out });
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(join(out, 'dev.wavegate-new-999-abc'))).toEqual(['half']);
    // the holder "dies" without cleaning up: the waiting render takes over and recovers
    held.release();
    expect((await waiting).written).toBe(true);
    expect(readdirSync(out).sort()).toEqual([TESTS_DIR, 'dev']);
  });
});
