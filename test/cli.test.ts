import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/main.js';
import { catalogOf, componentPath, writeCatalog } from './helpers/catalog.js';

const BIN = join(__dirname, '..', 'bin', 'wavegate.js');

function run(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
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
});
