#!/usr/bin/env node
// Regenerates data/argo-builtin-health-kinds.json from a clone of argoproj/argo-cd:
//
//   node scripts/argo-builtin-kinds.mjs <path to an argo-cd clone or bare git dir> [--from v2.8] [--check]
//
// For every minor release from --from (default v2.8) it takes the newest final tag (no -rc),
// lists resource_customizations/<group>/<Kind>/health.lua at that tag (git ls-tree: the
// working tree is never read, so any clone works) and records the kinds. The kinds Argo CD
// computes in Go come from gitops-engine/pkg/health/health.go (GetHealthCheckFunc) of the
// newest tag when the engine is in the tree (v3.3 and later), else from the list below, which
// is that function as of gitops-engine v0.7. --check compares with the committed file instead
// of writing it (exit 1 when they differ).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'argo-builtin-health-kinds.json');
const GO_FALLBACK = [
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/ReplicaSet',
  'apps/DaemonSet',
  'extensions/Ingress',
  'networking.k8s.io/Ingress',
  'argoproj.io/Workflow',
  'apiregistration.k8s.io/APIService',
  'Service',
  'PersistentVolumeClaim',
  'Pod',
  'batch/Job',
  'autoscaling/HorizontalPodAutoscaler',
];

const args = process.argv.slice(2);
const repo = args.find((a) => !a.startsWith('--'));
const fromIdx = args.indexOf('--from');
const from = fromIdx >= 0 ? args[fromIdx + 1] : 'v2.8';
const check = args.includes('--check');
if (!repo) {
  process.stderr.write('usage: node scripts/argo-builtin-kinds.mjs <argo-cd clone> [--from v2.8] [--check]\n');
  process.exit(2);
}
const git = (...a) => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });

const parse = (t) => {
  const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(t);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
};
const [fromMajor, fromMinor] = from.replace(/^v/, '').split('.').map(Number);
const newest = new Map();
for (const t of git('tag', '--list', 'v*').split('\n')) {
  const v = parse(t.trim());
  if (!v || v[0] < fromMajor || (v[0] === fromMajor && v[1] < fromMinor)) continue;
  const key = `${v[0]}.${v[1]}`;
  const cur = newest.get(key);
  if (!cur || v[2] > cur.v[2]) newest.set(key, { tag: t.trim(), v });
}
const tags = [...newest.values()].sort((a, b) => a.v[0] - b.v[0] || a.v[1] - b.v[1]).map((x) => x.tag);
if (tags.length === 0) {
  process.stderr.write(`no release tags from ${from} in ${repo}\n`);
  process.exit(2);
}

const releases = {};
for (const tag of tags) {
  const files = git('ls-tree', '-r', '--name-only', tag, 'resource_customizations').split('\n');
  releases[tag] = files
    .map((f) => /^resource_customizations\/([^/]+)\/([^/]+)\/health\.lua$/.exec(f))
    .filter(Boolean)
    .map((m) => `${m[1]}/${m[2]}`)
    .sort();
}

let goBuiltins = GO_FALLBACK;
let goSource = "gitops-engine pkg/health GetHealthCheckFunc (v0.7, built into wavegate's script)";
const last = tags[tags.length - 1];
try {
  const src = git('show', `${last}:gitops-engine/pkg/health/health.go`);
  const body = src.slice(src.indexOf('func GetHealthCheckFunc'));
  const fn = body.slice(0, body.indexOf('\n}\n'));
  const found = [];
  let group;
  for (const line of fn.split('\n')) {
    const g = /^\tcase "([^"]*)":/.exec(line);
    if (g) {
      group = g[1];
      continue;
    }
    for (const k of line.matchAll(/kube\.(\w+)Kind\b|gvk\.Kind == "(\w+)"/g)) {
      const kind = k[1] ?? k[2];
      if (group !== undefined) found.push(group ? `${group}/${kind}` : kind);
    }
  }
  if (found.length > 0) {
    goBuiltins = found;
    goSource = `gitops-engine/pkg/health/health.go GetHealthCheckFunc at ${last}`;
  }
} catch {
  // engine not in the tree at this tag: keep the fallback list
}

const data = {
  about:
    "Kinds with a built-in health check in Argo CD, per release (the newest patch of each minor release). Lua checks: resource_customizations/<group>/<Kind>/health.lua at each release tag of argoproj/argo-cd; a group or kind of '_' is Argo's wildcard folder ('*'). goBuiltins: kinds Argo CD assesses in Go without Lua. argoproj.io/Application has no built-in check since v1.8. Regenerate with scripts/argo-builtin-kinds.mjs.",
  source: { repository: 'argoproj/argo-cd', tags, goBuiltins: goSource },
  goBuiltins,
  releases,
};
const text = `${JSON.stringify(data, null, 1)}\n`;
if (check) {
  const cur = JSON.parse(readFileSync(OUT, 'utf8'));
  const same = JSON.stringify(cur.releases) === JSON.stringify(releases) && JSON.stringify(cur.goBuiltins) === JSON.stringify(goBuiltins);
  process.stdout.write(
    same
      ? `data/argo-builtin-health-kinds.json matches ${tags[0]}..${last}\n`
      : 'data/argo-builtin-health-kinds.json differs from the checkout\n',
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(`${OUT}.tmp`, text);
renameSync(`${OUT}.tmp`, OUT);
process.stdout.write(
  `wrote ${OUT}: ${tags.length} releases ${tags[0]}..${last}, ${releases[last].length} Lua kinds at ${last}, ${goBuiltins.length} Go kinds\n`,
);
