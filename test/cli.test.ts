import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/main.js';
import { catalogOf, componentPath, writeCatalog } from './helpers/catalog.js';

const BIN = join(__dirname, '..', 'bin', 'wavegate.js');

function run(args: string[], env: Record<string, string> = {}, cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function allCommands(c: Command, prefix: string[] = []): string[][] {
  return c.commands.flatMap((sub) => [[...prefix, sub.name()], ...allCommands(sub, [...prefix, sub.name()])]);
}

describe('wavegate CLI', () => {
  it('--version prints the package version', () => {
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every command has --help that exits 0 and shows its usage', () => {
    const cmds = allCommands(buildProgram());
    expect(cmds.map((c) => c.join(' '))).toContain('check');
    for (const c of cmds) {
      const r = run([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout, c.join(' ')).toContain(`Usage: wavegate ${c.join(' ')}`);
    }
  });

  it('usage errors exit 2 without a stack trace', () => {
    for (const args of [['frobnicate'], ['check', '--format', 'xml'], ['check', '--nope'], ['check', '/nonexistent/catalog']]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(run(['check', '/nonexistent/catalog']).stderr).toBe('wavegate: error: catalog not found: /nonexistent/catalog\n');
  });

  it('check exits 0 on a clean catalog, 1 on errors, and prints the JSON findings format', () => {
    const clean = catalogOf([{ name: 'db', tier: 'data', wave: 20 }]);
    const ok = run(['check', clean, '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ findings: [] });

    const bad = writeCatalog({ [componentPath('dev', 'app')]: 'name: app\ntier: apps\nwave: 40\ndependson: [db]\n' });
    const r = run(['check', bad, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      findings: [
        {
          rule: 'schema',
          severity: 'error',
          environment: 'dev',
          component: 'app',
          message: 'dependson: unknown field (did you mean "dependencies"?)',
          file: 'environments/dev/components/app/component.yaml',
          line: 4,
          column: 1,
        },
      ],
    });
    const text = run(['check', bad]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('environments/dev/components/app/component.yaml:4:1');
    expect(text.stdout).toMatch(/: 1 error, 0 warnings\n$/);
  });

  it('colour only when asked for, never with NO_COLOR', () => {
    const bad = writeCatalog({ [componentPath('dev', 'app')]: 'name: app\ntier: apps\nwave: x\n' });
    expect(run(['check', bad], { FORCE_COLOR: '1' }).stdout).toContain('\u001b[31m');
    expect(run(['check', bad], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  describe('check output for terminals, editors and CI', () => {
    // one component in _shared with a wave outside its band (an error in both environments), one
    // env-only component missing from the other environment (an env-parity warning)
    const shared = (w: number): string => `name: db\ntier: data\nwave: ${w}\n`;
    const files = {
      'wavegate.yaml': 'tiers:\n  - name: data\n    waves: [16, 35]\n',
      'environments/_shared/components/db/component.yaml': shared(40),
      [componentPath('dev', 'cache')]: 'name: cache\ntier: data\nwave: 20\n',
      'environments/prod/components/.gitkeep': '',
    };
    it('text: one line per finding, path:line:col relative to the working directory, a _shared finding once with its environments', () => {
      const root = writeCatalog(files);
      const fromParent = run(['check', root.split('/').pop()!], {}, join(root, '..'));
      expect(fromParent.code).toBe(1);
      const lines = fromParent.stdout.trimEnd().split('\n');
      const name = root.split('/').pop()!;
      expect(lines[0]).toBe(
        `${name}/environments/_shared/components/db/component.yaml:3:7: error tier-band: [dev, prod] db: wave 40 is outside tier data's band [16, 35]: set a wave in the band (the nearest is 35; check --suggest picks one that keeps every dependency in order)`,
      );
      expect(lines.filter((l) => l.includes('tier-band'))).toHaveLength(1);
      expect(lines.at(-1)).toBe(`${name}: 2 errors, 1 warning`);
      // from inside the catalog the same finding is a path from there
      expect(run(['check', '.'], {}, root).stdout).toContain('environments/_shared/components/db/component.yaml:3:7: error tier-band:');
    });
    it('--quiet: errors only; --max-warnings N: exit 1 when warnings exceed N', () => {
      const root = writeCatalog({ ...files, 'environments/_shared/components/db/component.yaml': shared(20) });
      const plain = run(['check', root]);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toContain('warning env-parity');
      const quiet = run(['check', root, '--quiet']);
      expect(quiet.stdout).not.toContain('env-parity');
      expect(quiet.stdout).toMatch(/: 0 errors, 0 warnings\n$/);
      expect(run(['check', root, '--max-warnings', '1']).code).toBe(0);
      const over = run(['check', root, '--max-warnings', '0']);
      expect(over.code).toBe(1);
      expect(over.stderr).toBe('wavegate: 1 warning, more than --max-warnings 0\n');
      expect(run(['check', root, '--max-warnings', 'x']).code).toBe(2);
    });
    it('--format github: workflow-command annotations with file, line, col and title, values escaped', () => {
      const root = writeCatalog(files);
      const r = run(['check', '.', '--format', 'github'], {}, root);
      expect(r.code).toBe(1);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(
        "::error file=environments/_shared/components/db/component.yaml,line=3,col=7,title=wavegate tier-band::[dev, prod] db: wave 40 is outside tier data's band [16, 35]: set a wave in the band (the nearest is 35; check --suggest picks one that keeps every dependency in order)",
      );
      expect(
        lines.some(
          (l) =>
            l.startsWith('::warning file=environments/dev/components/cache/component.yaml,') && l.includes('title=wavegate env-parity::'),
        ),
      ).toBe(true);
    });
  });
});
