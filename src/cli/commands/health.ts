import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Option, type Command } from 'commander';
import { PACKAGE_ROOT } from '../../catalog/schemas.js';
import { UserError } from '../../errors.js';
import { fsReason, readBytes } from '../../fsutil.js';

/** A file named on the command line or found under a folder given: a regular file, bounded (never Node's error text). */
function readBounded(path: string, what: string): string {
  try {
    return readBytes(path).toString('utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read ${what}: ${fsReason(e)}`);
  }
}

/** The package's own library of checks (`lua/` in Argo's layout). */
const PACKAGE_LUA_DIR = join(PACKAGE_ROOT, 'lua');

type RenderKind = (kindDir: string) => { script: string; openLibs: boolean } | undefined;

/** The health library's renderer for template-based kind folders, when the package has one. */
async function loadRenderKind(): Promise<RenderKind | undefined> {
  try {
    const lib = (await import('../../health/library.js')) as { renderKind?: unknown };
    return typeof lib.renderKind === 'function' ? (lib.renderKind as RenderKind) : undefined;
  } catch {
    return undefined;
  }
}

function readYamlFile(path: string, what: string): unknown {
  return readBounded(path, what);
}

export function registerHealth(program: Command): void {
  const health = program
    .command('health')
    .description('evaluate, unit-test and lint Lua health checks offline, with Argo CD\'s sandbox rules');

  health
    .command('test')
    .description('run every health_test.yaml under the folders (Argo CD\'s format); exit 1 on any failure')
    .argument('[dir...]', "folders in Argo's resource_customizations layout (default: the package's own lua/)")
    .option('--open-libs', 'give every kind all Lua libraries, as Argo CD runs its built-in checks')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dirs: string[], opts: { openLibs?: boolean; format: string }) => {
      const { runHealthTestsParallel, formatHealthTestReport, healthTestReportToJson } = await import('../../lua/testrunner.js');
      const { dirSource } = await import('../../lua/resolve.js');
      const renderKind = await loadRenderKind();
      const roots = dirs.length > 0 ? dirs : [PACKAGE_LUA_DIR];
      const report = await runHealthTestsParallel(roots, {
        openLibs: opts.openLibs === true,
        useRenderer: renderKind !== undefined,
        sourceFor: (root) => dirSource(root, { renderKind }),
      });
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(healthTestReportToJson(report), null, 2)}\n`);
      else process.stdout.write(formatHealthTestReport(report));
      process.exitCode = report.failed > 0 ? 1 : 0;
    });

  health
    .command('eval')
    .description('evaluate the health check for one resource, like `argocd admin settings resource-overrides health`')
    .argument('<resource>', 'the resource as YAML or JSON (first document)')
    .option('--argocd-cm <file>', 'argocd-cm ConfigMap with resource.customizations overrides')
    .option('--lua <dir>', "folder of checks in Argo's layout (default: the package's own lua/ when --argocd-cm is not given)")
    .option('--open-libs', 'give the script all Lua libraries')
    .action(async (resource: string, opts: { argocdCm?: string; lua?: string; openLibs?: boolean }) => {
      const { parse, parseAllDocuments } = await import('yaml');
      const { argocdCmSource, chainSources, dirSource, objectGroupKind, groupKindKey } = await import('../../lua/resolve.js');
      const { evaluateHealth } = await import('../../lua/runtime.js');
      const parseFirst = (path: string, what: string): unknown => {
        const text = readYamlFile(path, what) as string;
        try {
          return parse(text);
        } catch (e) {
          const docs = parseAllDocuments(text);
          const first = Array.isArray(docs) ? docs.find((d) => d.contents !== null) : undefined;
          if (first && first.errors.length === 0) return first.toJS();
          throw new UserError(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
        }
      };
      const obj = parseFirst(resource, 'resource');
      const gk = objectGroupKind(obj);
      if (!gk) throw new UserError(`${resource}: the resource has no apiVersion/kind`);
      const sources = [];
      if (opts.argocdCm) sources.push(argocdCmSource(parseFirst(opts.argocdCm, 'argocd-cm'), { file: opts.argocdCm }));
      const luaDir = opts.lua ?? (opts.argocdCm ? undefined : PACKAGE_LUA_DIR);
      if (luaDir) {
        if (!existsSync(luaDir) || !statSync(luaDir).isDirectory()) throw new UserError(`${luaDir}: no such folder`);
        sources.push(dirSource(luaDir, { renderKind: await loadRenderKind() }));
      }
      const hs = chainSources(...sources).resolve(gk.group, gk.kind);
      const key = groupKindKey(gk.group, gk.kind);
      if (!hs) {
        let builtin: 'go' | 'lua' | undefined;
        try {
          const cov = (await import('../../health/coverage.js')) as { argoBuiltinFor?: (k: { group: string; kind: string }) => 'go' | 'lua' | undefined };
          builtin = cov.argoBuiltinFor?.({ group: gk.group, kind: gk.kind });
        } catch {
          builtin = undefined;
        }
        if (builtin === 'go') {
          process.stdout.write(`No Lua health check is configured for ${key}: Argo CD assesses this kind in Go (not emulated by wavegate).\n`);
        } else if (builtin === 'lua') {
          process.stdout.write(`No health check is configured here for ${key}: Argo CD has a built-in Lua check for it (pass its resource_customizations folder with --lua to evaluate it).\n`);
        } else {
          process.stdout.write(`No health check is configured for ${key}: Argo CD treats such a resource as healthy at once (it does not hold its sync wave).\n`);
        }
        process.exitCode = 0;
        return;
      }
      const r = evaluateHealth(hs.script, obj, { openLibs: opts.openLibs === true || hs.openLibs });
      for (const line of r.printed ?? []) process.stderr.write(`print: ${line}\n`);
      process.stdout.write(`STATUS: ${r.status}\nMESSAGE: ${r.message}\n`);
      process.exitCode = 0;
    });

  health
    .command('lint')
    .description('static checks of Lua health scripts against Argo CD\'s sandbox; exit 1 on any problem')
    .argument('[path...]', "Lua files or folders (default: the package's own lua/)")
    .option('--open-libs', 'assume all libraries are open for every script')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (paths: string[], opts: { openLibs?: boolean; format: string }) => {
      const { lintHealthScript } = await import('../../lua/lint.js');
      const { readCheckYaml } = await import('../../lua/resolve.js');
      const renderKind = await loadRenderKind();
      const targets = paths.length > 0 ? paths : [PACKAGE_LUA_DIR];
      const files: { path: string; script: string; openLibs: boolean }[] = [];
      const visit = (p: string, top: boolean) => {
        let st;
        try {
          st = statSync(p);
        } catch {
          throw new UserError(`${p}: no such file or folder`);
        }
        if (st.isDirectory()) {
          const names = readdirSync(p).sort();
          if (names.includes('check.yaml') && !names.includes('health.lua') && renderKind) {
            const r = renderKind(p);
            if (r) files.push({ path: join(p, 'check.yaml'), script: r.script, openLibs: r.openLibs });
          }
          for (const n of names) if (!n.startsWith('.') && n !== 'node_modules') visit(join(p, n), false);
        } else if (p.endsWith('.lua') || top) {
          const dir = join(p, '..');
          const check = existsSync(join(dir, 'check.yaml')) ? readCheckYaml(dir) : {};
          files.push({ path: p, script: readBounded(p, 'the script'), openLibs: check.useOpenLibs === true });
        }
      };
      for (const t of targets) visit(t, true);
      const out: { file: string; rule: string; line: number; column: number; message: string }[] = [];
      for (const f of files) {
        const rel = relative(process.cwd(), f.path) || f.path;
        for (const p of lintHealthScript(f.script, { openLibs: opts.openLibs === true || f.openLibs })) out.push({ file: rel, ...p });
      }
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ problems: out }, null, 2)}\n`);
      } else {
        for (const p of out) process.stdout.write(`${p.file}:${p.line}:${p.column}: ${p.rule}: ${p.message}\n`);
        process.stdout.write(`${files.length} file${files.length === 1 ? '' : 's'}, ${out.length} problem${out.length === 1 ? '' : 's'}\n`);
      }
      process.exitCode = out.length > 0 ? 1 : 0;
    });
}
