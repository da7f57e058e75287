// The pre-commit hook's bundle hook/bundle/wavegate.mjs (scripts/build-hook.mjs): committed, so
// it must be what `npm run build:hook` makes from the sources now, and it must behave as the
// CLI (bin/wavegate.js over dist/) when run the way the hook runs it: from a copy of the
// repository's tracked files with no node_modules anywhere above it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const BUNDLE = join('hook', 'bundle', 'wavegate.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

describe('hook bundle', () => {
  it('is the bytes `npm run build:hook` builds from the sources (else: run it and commit the bundle)', () => {
    const out = join(tmp('wavegate-bundle-'), 'wavegate.mjs');
    const r = spawnSync(process.execPath, ['scripts/build-hook.mjs', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const built = readFileSync(out);
    const committed = readFileSync(join(ROOT, BUNDLE));
    expect(built.length, 'hook/bundle/wavegate.mjs is stale: run npm run build:hook').toBe(committed.length);
    expect(built.equals(committed), 'hook/bundle/wavegate.mjs is stale: run npm run build:hook').toBe(true);
  }, 20_000);

  describe('run from a clone without node_modules', () => {
    let clone = '';
    beforeAll(() => {
      clone = tmp('wavegate-clone-');
      const files = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
      for (const f of new Set([...files, BUNDLE])) {
        const from = join(ROOT, f);
        try {
          if (!statSync(from).isFile()) continue;
        } catch {
          continue; // deleted in the work tree
        }
        mkdirSync(dirname(join(clone, f)), { recursive: true });
        cpSync(from, join(clone, f));
      }
      // one wave that breaks its dependency order, as in test/precommit.test.ts
      const grafana = join('environments', '_shared', 'components', 'platform', 'observability', 'grafana', 'component.yaml');
      cpSync(join(ROOT, 'examples', 'ameide'), join(clone, 'broken'), { recursive: true });
      writeFileSync(join(clone, 'broken', grafana), readFileSync(join(clone, 'broken', grafana), 'utf8').replace(/^wave: .*/m, 'wave: 1'));
    });

    /** The CLI in this checkout and the bundle in the clone, each on the clone's files. */
    const both = (args: string[]) => {
      const run = (cmd: string) =>
        spawnSync(process.execPath, [cmd, ...args], { cwd: clone, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      return { cli: run(join(ROOT, 'bin', 'wavegate.js')), bundle: run(join(clone, BUNDLE)) };
    };
    const same = (args: string[], status: number) => {
      const { cli, bundle } = both(args);
      expect(cli.status, cli.stderr).toBe(status);
      expect({ status: bundle.status, stdout: bundle.stdout, stderr: bundle.stderr }).toEqual({
        status: cli.status,
        stdout: cli.stdout,
        stderr: cli.stderr,
      });
      return bundle;
    };

    it('has no node_modules to fall back on', () => {
      for (let d = clone; d !== dirname(d); d = dirname(d)) expect(readdirSync(d)).not.toContain('node_modules');
    });

    it('check: same findings and exit code, in every format', () => {
      expect(same(['check', 'examples/ameide'], 0).stdout).toContain('0 errors');
      for (const format of ['json', 'sarif', 'github']) same(['check', 'examples/ameide', '--format', format], 0);
      expect(same(['check', 'broken'], 1).stdout).toMatch(/grafana\/component\.yaml:\d+:\d+: error wave-order: /);
      same(['check', 'broken', '--format', 'json'], 1);
      same(['--version'], 0);
    });

    it('health test and health lint of the shipped library: same report', () => {
      expect(same(['health', 'test', 'lua'], 0).stdout).toMatch(/[1-9]\d* passed, 0 failed/);
      same(['health', 'lint', 'lua'], 0);
    });

    it('render: same summary and the same files', () => {
      const outs = { cli: tmp('wavegate-render-cli-'), bundle: tmp('wavegate-render-bundle-') };
      const run = (cmd: string, out: string) =>
        spawnSync(process.execPath, [cmd, 'render', 'examples/ameide', '--out', out], { cwd: clone, encoding: 'utf8' });
      const cli = run(join(ROOT, 'bin', 'wavegate.js'), outs.cli);
      const bundle = run(join(clone, BUNDLE), outs.bundle);
      expect(cli.status, cli.stderr).toBe(0);
      expect(bundle.status, bundle.stderr).toBe(0);
      expect(bundle.stdout.replaceAll(outs.bundle, 'OUT')).toBe(cli.stdout.replaceAll(outs.cli, 'OUT'));
      const tree = (root: string) => {
        const files: Record<string, string> = {};
        const visit = (d: string) => {
          for (const e of readdirSync(d, { withFileTypes: true })) {
            const p = join(d, e.name);
            if (e.isDirectory()) visit(p);
            else files[relative(root, p)] = readFileSync(p, 'utf8');
          }
        };
        visit(root);
        return files;
      };
      const cliTree = tree(outs.cli);
      expect(Object.keys(cliTree).length).toBeGreaterThan(100);
      expect(tree(outs.bundle)).toEqual(cliTree);
    });
  });
});
