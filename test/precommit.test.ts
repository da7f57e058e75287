// The pre-commit hook installed and run by the real pre-commit (Debian's pre-commit package,
// installed by .ci/run), the way a user's repository gets it: `pre-commit try-repo` clones this
// repository, runs the hook's entry (scripts/pre-commit-hook.sh), which installs and builds
// wavegate in that clone on its first run, then checks the user's catalog.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('pre-commit hook', () => {
  it('installs from a clean clone and fails the commit on an error finding, naming it', () => {
    const repo = mkdtempSync(join(tmpdir(), 'wavegate-precommit-repo-'));
    const home = mkdtempSync(join(tmpdir(), 'wavegate-precommit-home-'));
    dirs.push(repo, home);
    cpSync(join(ROOT, 'examples', 'ameide'), repo, { recursive: true });
    // one wave that breaks its dependency order
    const file = join(repo, 'environments', '_shared', 'components', 'platform', 'observability', 'grafana', 'component.yaml');
    writeFileSync(file, spawnSync('sed', ['s/^wave: .*/wave: 1/', file], { encoding: 'utf8' }).stdout);
    const git = (args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    git(['init', '-q']);
    git(['add', '-A']);
    git(['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'catalog']);
    const r = spawnSync('pre-commit', ['try-repo', ROOT, 'wavegate-check', '--all-files', '--verbose'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1' },
      timeout: 300_000,
    });
    expect(r.error, 'pre-commit (Debian package pre-commit) must be installed').toBeUndefined();
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/wavegate check\.+Failed/);
    expect(out).toContain('environments/_shared/components/platform/observability/grafana/component.yaml');
    expect(out).toMatch(/error wave-order: /);
    expect(r.status).toBe(1);
  }, 320_000);
});
