// Issue 13, item 3: every file wavegate writes is created exclusively under a random name in
// the target's folder, fsynced and renamed; symlinks are never written through; modes are
// kept; `fix` on a symlinked component.yaml edits the target inside the catalog or refuses.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { put, tempDirs } from '../helpers/tree.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { writeFileAtomic } from '../../src/fsutil.js';
import { applyFix, planFix } from '../../src/graph/fix.js';

const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const temp = tempDirs('wavegate-sec-w-');
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A catalog `fix` edits: b depends on a but sits in an earlier wave (wave-order), so b's wave moves. */
const A = 'environments/dev/components/a/component.yaml';
const B = 'environments/dev/components/b/component.yaml';
function fixable(): string {
  const root = temp();
  put(root, A, 'name: a\ntier: foundation\nwave: 5\n');
  put(root, B, 'name: b\ntier: foundation\nwave: 1 # moves\ndependencies: [a]\n');
  return root;
}
const fix = (root: string, onLink?: (f: string, t: string) => void): string[] => {
  const c = loadCatalog(root);
  return applyFix(c, planFix(c, checkCatalog(c)), onLink);
};

describe('fix writes safely', () => {
  it('the catalog is one fix edits (b moves after a)', () => {
    const root = fixable();
    expect(fix(root)).toEqual([B]);
    expect(readFileSync(join(root, B), 'utf8')).toBe('name: b\ntier: foundation\nwave: 6 # moves\ndependencies: [a]\n');
    expect(readdirSync(dirname(join(root, B)))).toEqual(['component.yaml']); // no temporary file left
  });

  it('a planted component.yaml.wavegate-fix.tmp symlink is never written through, and component.yaml stays a file', () => {
    const root = fixable();
    const victim = put(temp(), 'authorized_keys', 'ssh-ed25519 AAAA precious\n');
    symlinkSync(victim, join(root, `${B}.wavegate-fix.tmp`));
    fix(root);
    expect(readFileSync(victim, 'utf8')).toBe('ssh-ed25519 AAAA precious\n');
    expect(lstatSync(join(root, B)).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(root, B), 'utf8')).toBe('name: b\ntier: foundation\nwave: 6 # moves\ndependencies: [a]\n');
    expect(readdirSync(dirname(join(root, B))).sort()).toEqual(['component.yaml', 'component.yaml.wavegate-fix.tmp']);
  });

  it('keeps a 0640 file 0640', () => {
    const root = fixable();
    chmodSync(join(root, B), 0o640);
    fix(root);
    expect(statSync(join(root, B)).mode & 0o777).toBe(0o640);
  });

  it('a component.yaml symlinked inside the catalog: the target is edited, the link kept, and the CLI says which', () => {
    const root = fixable();
    const shared = join(root, 'shared/b.yaml');
    mkdirSync(dirname(shared), { recursive: true });
    writeFileSync(shared, readFileSync(join(root, B)));
    rmSync(join(root, B));
    symlinkSync('../../../../shared/b.yaml', join(root, B));
    const r = run(['fix', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${B} is a symlink: edited its target shared/b.yaml (the link is kept)`);
    expect(lstatSync(join(root, B)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, B))).toBe('../../../../shared/b.yaml');
    expect(readFileSync(shared, 'utf8')).toBe('name: b\ntier: foundation\nwave: 6 # moves\ndependencies: [a]\n');
  });

  it('a component.yaml symlinked out of the catalog is refused (not read, not written): the target stays as it was', () => {
    const root = fixable();
    const outside = put(temp(), 'b.yaml', readFileSync(join(root, B), 'utf8'));
    rmSync(join(root, B));
    symlinkSync(outside, join(root, B));
    const r = run(['fix', root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/after fixing: 1 error/);
    expect(readFileSync(outside, 'utf8')).toBe('name: b\ntier: foundation\nwave: 1 # moves\ndependencies: [a]\n');
    const c = run(['check', root]);
    expect(c.stdout).toContain('cannot read the file: it leads outside its folder (through a symlink or ..)');
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file through a new random name, keeping its mode; creates a missing one', () => {
    const dir = temp();
    const f = put(dir, 'x.yaml', 'old');
    chmodSync(f, 0o600);
    writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    writeFileAtomic(join(dir, 'y.yaml'), 'y');
    expect(readdirSync(dir).sort()).toEqual(['x.yaml', 'y.yaml']);
  });

  it('never writes through a symlink: refused without a root, outside the root; a link inside has its target replaced', () => {
    const root = temp();
    const outside = put(temp(), 'target', 'keep');
    symlinkSync(outside, join(root, 'out-link'));
    expect(() => writeFileAtomic(join(root, 'out-link'), 'x')).toThrow(/is a symlink; wavegate does not write through symlinks/);
    expect(() => writeFileAtomic(join(root, 'out-link'), 'x', { root })).toThrow(/symlink to a file outside the catalog/);
    expect(readFileSync(outside, 'utf8')).toBe('keep');
    put(root, 'real', 'a');
    symlinkSync('real', join(root, 'in-link'));
    expect(writeFileAtomic(join(root, 'in-link'), 'b', { root })).toBe(join(root, 'real'));
    expect(readFileSync(join(root, 'real'), 'utf8')).toBe('b');
    expect(lstatSync(join(root, 'in-link')).isSymbolicLink()).toBe(true);
  });

  it('refuses to replace something that is not a regular file', () => {
    const root = temp();
    mkdirSync(join(root, 'd'));
    expect(() => writeFileAtomic(join(root, 'd'), 'x')).toThrow(/not a regular file/);
  });
});
