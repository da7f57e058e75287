// The pre-commit hook installed and run by the real pre-commit (Debian's pre-commit package,
// installed by .ci/run), the way a user's repository gets it: `pre-commit try-repo` clones this
// repository and runs the hook's entry (scripts/pre-commit-hook.sh), which runs the committed
// bundle hook/bundle/wavegate.mjs with node. Offline: npm is not on PATH (a PATH of links to
// everything on the test's PATH but package managers), npm is told to stay offline and HOME and npm's cache are empty folders,
// so an install step (npm ci, npm install, a download) would fail the run.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** Package managers, left out of the hook's PATH (everything else on PATH stays: git needs coreutils). */
const PACKAGE_MANAGERS = /^(npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack|node-gyp|bun|bunx)$/;
const which = (tool: string, PATH = process.env.PATH) =>
  spawnSync('/bin/sh', ['-c', `command -v ${tool} || true`], { encoding: 'utf8', env: { PATH } }).stdout.trim();
let offlineBin = '';
let preCommit = '';
beforeAll(() => {
  preCommit = which('pre-commit');
  expect(preCommit, 'pre-commit (Debian package pre-commit) must be installed').not.toBe('');
  offlineBin = tmp('wavegate-precommit-bin-');
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (PACKAGE_MANAGERS.test(name) || existsSync(join(offlineBin, name))) continue;
      symlinkSync(join(dir, name), join(offlineBin, name));
    }
  }
});

function catalogRepo(edit?: (repo: string) => void): string {
  const repo = tmp('wavegate-precommit-repo-');
  cpSync(join(ROOT, 'examples', 'ameide'), repo, { recursive: true });
  edit?.(repo);
  const git = (args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  git(['init', '-q']);
  git(['add', '-A']);
  git(['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'catalog']);
  return repo;
}

function tryRepo(repo: string) {
  const home = tmp('wavegate-precommit-home-');
  const npmCache = join(home, 'npm-cache');
  mkdirSync(npmCache);
  const env: NodeJS.ProcessEnv = {
    PATH: offlineBin,
    HOME: home,
    PRE_COMMIT_HOME: join(home, 'pre-commit'),
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    npm_config_offline: 'true',
    npm_config_cache: npmCache,
    npm_config_registry: 'http://127.0.0.1:9/',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const r = spawnSync(preCommit, ['try-repo', ROOT, 'wavegate-check', '--all-files', '--verbose'], {
    cwd: repo,
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  return { ...r, out: r.stdout + r.stderr, home };
}

describe('pre-commit hook', () => {
  it('runs with node and git on PATH, and no npm', () => {
    expect(which('node', offlineBin)).not.toBe('');
    expect(which('git', offlineBin)).not.toBe('');
    expect(which('npm', offlineBin)).toBe('');
    expect(which('npx', offlineBin)).toBe('');
  });

  it('installs from a clean clone offline and fails the commit on an error finding, naming it', () => {
    // one wave that breaks its dependency order
    const repo = catalogRepo((dir) => {
      const file = join(dir, 'environments', '_shared', 'components', 'platform', 'observability', 'grafana', 'component.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^wave: .*/m, 'wave: 1'));
    });
    const r = tryRepo(repo);
    expect(r.out).toMatch(/wavegate check\.+Failed/);
    expect(r.out).toContain('environments/_shared/components/platform/observability/grafana/component.yaml');
    expect(r.out).toMatch(/error wave-order: /);
    expect(r.out).not.toMatch(/npm|installing/i);
    expect(r.status).toBe(1);
  }, 130_000);

  it('passes the clean example offline', () => {
    const r = tryRepo(catalogRepo());
    expect(r.out).toMatch(/wavegate check\.+Passed/);
    expect(r.out).toContain('0 errors');
    expect(r.out).not.toMatch(/npm|installing/i);
    expect(r.status, r.out).toBe(0);
  }, 130_000);
});
