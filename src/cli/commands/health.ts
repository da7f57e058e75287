import { existsSync, readdirSync, readSync, statSync } from 'node:fs';
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

/** Resources piped in (`kubectl get -A -o yaml` of a big cluster runs to tens of MiB): bounded at 256 MiB. */
const STDIN_MAX_BYTES = 256 * 1024 * 1024;

function readStdin(): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw new UserError(`(stdin): cannot read the resources (${code ?? 'error'})`);
    }
    if (n === 0) break;
    total += n;
    if (total > STDIN_MAX_BYTES) throw new UserError(`(stdin): more than ${STDIN_MAX_BYTES / 1024 / 1024} MiB of input`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readYamlFile(path: string, what: string): unknown {
  return readBounded(path, what);
}

export function registerHealth(program: Command): void {
  const health = program
    .command('health')
    .description("evaluate, unit-test and lint Lua health checks offline, with Argo CD's sandbox rules");

  health
    .command('test')
    .description("run every health_test.yaml under the folders (Argo CD's format); exit 1 on any failure or when no case is found")
    .argument('[dir...]', "folders in Argo's resource_customizations layout (default: the package's own lua/)")
    .option('--open-libs', 'give every kind all Lua libraries, as Argo CD runs its built-in checks')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dirs: string[], opts: { openLibs?: boolean; format: string }) => {
      const { runHealthTests, formatHealthTestReport, healthTestReportToJson } = await import('../../lua/testrunner.js');
      const { dirSource } = await import('../../lua/resolve.js');
      const renderKind = await loadRenderKind();
      const roots = dirs.length > 0 ? dirs : [PACKAGE_LUA_DIR];
      const report = runHealthTests(roots, {
        openLibs: opts.openLibs === true,
        sourceFor: (root) => dirSource(root, { renderKind }),
      });
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(healthTestReportToJson(report), null, 2)}\n`);
      else process.stdout.write(formatHealthTestReport(report));
      if (report.passed + report.failed === 0) {
        // a wrong path in CI must not go green
        process.stderr.write(`wavegate: no health_test.yaml cases found under ${roots.join(', ')}\n`);
        process.exitCode = 1;
        return;
      }
      process.exitCode = report.failed > 0 ? 1 : 0;
    });

  health
    .command('eval')
    .description('evaluate the health check for resources, like `argocd admin settings resource-overrides health`')
    .argument(
      '<resource>',
      'a file of resources as YAML or JSON, or - for stdin: every document, and each item of a List (what `kubectl get -o yaml` prints)',
    )
    .option('--argocd-cm <file>', 'argocd-cm ConfigMap with resource.customizations overrides')
    .option('--lua <dir>', "folder of checks in Argo's layout (default: the package's own lua/ when --argocd-cm is not given)")
    .option('--open-libs', 'give the script all Lua libraries')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  wavegate health eval externalsecret.yaml\n  kubectl get externalsecrets -A -o yaml | wavegate health eval - --argocd-cm out/dev/argocd-cm.patch.yaml',
    )
    .action(async (resource: string, opts: { argocdCm?: string; lua?: string; openLibs?: boolean; format: string }) => {
      const { parseAllDocuments } = await import('../../yaml/document.js');
      const { argocdCmSource, chainSources, dirSource, objectGroupKind, groupKindKey } = await import('../../lua/resolve.js');
      const { evaluateHealth } = await import('../../lua/runtime.js');
      const { SANDBOX_DIFFERENCE_NOTE } = await import('../../lua/testrunner.js');
      const docsOf = (text: string, label: string): unknown[] => {
        const docs = parseAllDocuments(text);
        const list = Array.isArray(docs) ? docs : [];
        const bad = list.find((d) => d.errors.length > 0);
        if (bad) throw new UserError(`${label}: not valid YAML: ${bad.errors[0]!.message.split('\n')[0]}`);
        return list.map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
      };
      const label = resource === '-' ? '(stdin)' : resource;
      let text: string;
      try {
        text = resource === '-' ? readStdin() : (readYamlFile(resource, 'resource') as string);
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`${label}: cannot read the resource (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const objects: unknown[] = [];
      for (const d of docsOf(text, label)) {
        const o = d as { kind?: unknown; items?: unknown };
        if (typeof o === 'object' && typeof o.kind === 'string' && /List$/.test(o.kind) && Array.isArray(o.items)) objects.push(...o.items);
        else objects.push(d);
      }
      if (objects.length === 0) throw new UserError(`${label}: no resource in it`);
      const sources = [];
      if (opts.argocdCm) {
        const cm = docsOf(readYamlFile(opts.argocdCm, 'argocd-cm') as string, opts.argocdCm)[0];
        sources.push(argocdCmSource(cm, { file: opts.argocdCm }));
      }
      const luaDir = opts.lua ?? (opts.argocdCm ? undefined : PACKAGE_LUA_DIR);
      if (luaDir) {
        if (!existsSync(luaDir) || !statSync(luaDir).isDirectory()) throw new UserError(`${luaDir}: no such folder`);
        sources.push(dirSource(luaDir, { renderKind: await loadRenderKind() }));
      }
      const source = chainSources(...sources);
      let argoBuiltinFor: ((k: { group: string; kind: string }) => 'go' | 'lua' | undefined) | undefined;
      try {
        argoBuiltinFor = ((await import('../../health/coverage.js')) as { argoBuiltinFor?: typeof argoBuiltinFor }).argoBuiltinFor;
      } catch {
        argoBuiltinFor = undefined;
      }
      interface Result {
        apiVersion?: string;
        kind?: string;
        namespace?: string;
        name?: string;
        check?: string;
        status?: string;
        message?: string;
        note?: string;
      }
      const results: Result[] = objects.map((obj, i) => {
        const meta = ((obj as { metadata?: unknown }).metadata ?? {}) as { name?: unknown; namespace?: unknown };
        const id: Result = {
          ...(typeof (obj as { apiVersion?: unknown }).apiVersion === 'string'
            ? { apiVersion: (obj as { apiVersion: string }).apiVersion }
            : {}),
          ...(typeof (obj as { kind?: unknown }).kind === 'string' ? { kind: (obj as { kind: string }).kind } : {}),
          ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
          ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
        };
        const gk = objectGroupKind(obj);
        if (!gk) throw new UserError(`${label}: resource ${i + 1} has no apiVersion/kind`);
        const key = groupKindKey(gk.group, gk.kind);
        const hs = source.resolve(gk.group, gk.kind);
        if (!hs) {
          const builtin = argoBuiltinFor?.({ group: gk.group, kind: gk.kind });
          const note =
            builtin === 'go'
              ? `No Lua health check is configured for ${key}: Argo CD assesses this kind in Go (not emulated by wavegate).`
              : builtin === 'lua'
                ? `No health check is configured here for ${key}: Argo CD has a built-in Lua check for it (pass its resource_customizations folder with --lua to evaluate it).`
                : `No health check is configured for ${key}: Argo CD treats such a resource as healthy at once (it does not hold its sync wave).`;
          return { ...id, note };
        }
        const r = evaluateHealth(hs.script, obj, { openLibs: opts.openLibs === true || hs.openLibs });
        if (opts.format !== 'json') {
          for (const line of r.printed ?? []) process.stderr.write(`print: ${line}\n`);
          if (r.sandboxBound) process.stderr.write(`note: ${SANDBOX_DIFFERENCE_NOTE}\n`);
        }
        return { ...id, check: key, status: r.status, message: r.message, ...(r.sandboxBound ? { sandboxBound: true } : {}) };
      });
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
      } else {
        const several = results.length > 1;
        for (const r of results) {
          if (several) process.stdout.write(`--- ${r.kind ?? '?'} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '(no name)'}\n`);
          process.stdout.write(r.note !== undefined ? `${r.note}\n` : `STATUS: ${r.status}\nMESSAGE: ${r.message}\n`);
        }
      }
      process.exitCode = 0;
    });

  health
    .command('lint')
    .description("static checks of Lua health scripts against Argo CD's sandbox; exit 1 on any problem")
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
        for (const p of out) process.stdout.write(`${p.file}:${p.line}:${p.column}: error ${p.rule}: ${p.message}\n`);
        process.stdout.write(`${files.length} file${files.length === 1 ? '' : 's'}, ${out.length} problem${out.length === 1 ? '' : 's'}\n`);
      }
      process.exitCode = out.length > 0 ? 1 : 0;
    });
}
