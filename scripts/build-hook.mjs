// `npm run build:hook`: writes hook/bundle/wavegate.mjs, the whole CLI in one file with its
// dependencies inside, which the pre-commit hook (scripts/pre-commit-hook.sh) runs from
// pre-commit's clone of this repository with no install step and no network. The file is
// committed; test/hook-bundle.test.ts rebuilds it and fails when the bytes differ.
//
// What the code loads at run time, and how the bundle gets it:
// - schemas/, data/, lua/, smokes/, templates/ and package.json are read from PACKAGE_ROOT
//   (src/catalog/schemas.ts: two folders above the running file), so the bundle sits two
//   folders below the repository root and reads the clone's committed files.
// - createRequire(import.meta.url) in src/ (fengari and its internal modules, ajv, yaml,
//   js-yaml, handlebars, luaparse): the plugin below gives src/ a `node:module` whose
//   createRequire looks ids up in a table of statically bundled modules (still loaded on
//   first use) and throws for any other id, so nothing is read from node_modules.
// - src/lua/fengari/stepped-string.ts compiles a patched copy of fengari/src/lstrlib.js: the text is
//   defined as __WAVEGATE_LSTRLIB_SOURCE__ and its requires go through the same table.
// - the prebuilt schema validators of dist/validators (not committed) are not used:
//   __WAVEGATE_BUNDLE__ makes src/catalog/schemas.ts compile the schemas with ajv.
// The license of each bundled package is appended as a comment.
import { readFileSync, readdirSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(ROOT, 'hook', 'bundle', 'wavegate.mjs');
// `--out FILE` writes elsewhere (the drift test compares that with the committed bundle)
const outAt = process.argv.indexOf('--out');
const OUT = outAt > 0 ? resolve(process.argv[outAt + 1]) : BUNDLE;
const SRC = join(ROOT, 'src');
const FENGARI_SRC = join(ROOT, 'node_modules', 'fengari', 'src');

/** Every module id src/ passes to a createRequire-made function, and fengari's own files. */
function bundledIds() {
  const ids = new Set(
    readdirSync(FENGARI_SRC)
      .filter((f) => f.endsWith('.js'))
      .map((f) => `fengari/src/${f}`),
  );
  ids.add('sprintf-js'); // required by fengari/src/lstrlib.js, which fengari/stepped-string.ts compiles itself
  const visit = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        if (!text.includes('createRequire')) continue;
        for (const m of text.matchAll(/\b(?:require\w*|createRequire\(import\.meta\.url\))(?:\.resolve)?\(\s*'([^']+)'\s*\)/g))
          ids.add(m[1]);
      }
    }
  };
  visit(SRC);
  return [...ids].sort();
}

function moduleShim() {
  const ids = bundledIds();
  const entries = ids.map((id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(id)}),`).join('\n');
  return `// node:module for src/ inside the bundle (scripts/build-hook.mjs)
const bundled = {
${entries}
};
const PREFIX = 'wavegate-bundle:';
export function createRequire(from) {
  const base = String(from);
  const dir = base.startsWith(PREFIX) ? base.slice(PREFIX.length).replace(/[^/]*$/, '') : '';
  const key = (id) => (id.startsWith('./') && dir ? dir + id.slice(2) : id);
  const req = (id) => {
    const load = Object.hasOwn(bundled, key(id)) ? bundled[key(id)] : undefined;
    if (load === undefined) throw new Error(\`wavegate bundle: \${id} is not bundled (scripts/build-hook.mjs)\`);
    return load();
  };
  req.resolve = (id) => {
    if (!Object.hasOwn(bundled, key(id))) throw new Error(\`wavegate bundle: \${id} is not bundled (scripts/build-hook.mjs)\`);
    return PREFIX + key(id);
  };
  return req;
}
`;
}

const ENTRY = `// The pre-commit hook's CLI (scripts/build-hook.mjs); the same as bin/wavegate.js.
import { main } from './src/cli/main.ts';
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
process.exitCode = await main(process.argv.slice(2));
`;

const shim = {
  name: 'wavegate-node-module',
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, (args) =>
      args.importer.startsWith(`${SRC}/`) ? { path: 'node-module-shim', namespace: 'wavegate' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'wavegate' }, () => ({ contents: moduleShim(), resolveDir: ROOT, loader: 'js' }));
  },
};

const result = await build({
  absWorkingDir: ROOT,
  stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'hook-entry.js', loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  write: false,
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
  banner: {
    js:
      '#!/usr/bin/env node\n// Generated by `npm run build:hook` (scripts/build-hook.mjs) from src/: do not edit.\n' +
      // require() of Node's own modules by the bundled CommonJS packages (fs, path, ...)
      "import { createRequire as __wavegateNodeRequire } from 'node:module';\nconst require = __wavegateNodeRequire(import.meta.url);",
  },
  define: {
    __WAVEGATE_BUNDLE__: 'true',
    __WAVEGATE_LSTRLIB_SOURCE__: JSON.stringify(readFileSync(join(FENGARI_SRC, 'lstrlib.js'), 'utf8')),
  },
  metafile: true,
  plugins: [shim],
});
// The license of every package inside the bundle, as a comment at its end.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const licenses = [...packages].sort().map((name) => {
  const dir = join(ROOT, 'node_modules', name);
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir)
    .sort()
    .find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (!file) throw new Error(`build-hook: ${name} has no license file to carry into the bundle`);
  const body = readFileSync(join(dir, file), 'utf8').replaceAll('*/', '* /').trim();
  return `${name}@${version} (${license})\n\n${body}`;
});
const text = `${result.outputFiles[0].text}\n/*\nPackages bundled in this file and their licenses:\n\n${licenses.join('\n\n----\n\n')}\n*/\n`;
// Only Node's own modules may stay outside, and src/ gets node:module from the shim alone.
const outside = Object.values(result.metafile.outputs)[0]
  .imports.filter((i) => i.external)
  .map((i) => i.path);
const builtin = (p) => p.startsWith('node:') || builtinModules.includes(p);
const stray = outside.filter((p) => !builtin(p) || p === 'node:module');
if (stray.length) throw new Error(`build-hook: the bundle would load ${[...new Set(stray)].join(', ')} at run time`);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(`${OUT}.tmp`, text);
renameSync(`${OUT}.tmp`, OUT);
process.stdout.write(`${relative(ROOT, OUT)}: ${Buffer.byteLength(text)} bytes\n`);
