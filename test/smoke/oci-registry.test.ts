// docs/smokes.md's registry recipe, run for real: every environment's rendered smoke packages pushed
// with the real Helm (`helm push`, .tools/bin/helm) to one OCI registry, the CNCF Distribution
// registry from Debian's docker-registry package (installed by .ci/run), then each version
// pulled back and compared byte for byte with what was rendered: nothing overwritten.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..', '..');
const HELM = join(ROOT, '.tools', 'bin', 'helm');
const run = promisify(execFile);
const dirs: string[] = [];
let registry: ChildProcess | undefined;
let port = 0;
let home = '';
let out = '';

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });

const helmEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  HELM_CONFIG_HOME: join(home, 'config'),
  HELM_CACHE_HOME: join(home, 'cache'),
  HELM_DATA_HOME: join(home, 'data'),
  HELM_REGISTRY_CONFIG: join(home, 'registry.json'),
});

async function helm(args: string[], cwd?: string): Promise<string> {
  const r = await run(HELM, args, { env: helmEnv(), cwd, maxBuffer: 16 << 20 });
  return r.stdout + r.stderr;
}

beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wavegate-oci-'));
  dirs.push(tmp);
  home = join(tmp, 'home');
  out = join(tmp, 'out');
  port = await freePort();
  writeFileSync(
    join(tmp, 'config.yml'),
    [
      'version: 0.1',
      'log: {level: error}',
      'storage:',
      `  filesystem: {rootdirectory: ${join(tmp, 'storage')}}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  registry = spawn('docker-registry', ['serve', join(tmp, 'config.yml')], { stdio: 'ignore' });
  const spawned = new Promise<never>((_, rej) =>
    registry!.once('error', (e) => rej(new Error(`docker-registry (Debian package docker-registry) cannot start: ${e.message}`))),
  );
  const up = (async () => {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the registry did not answer /v2/ within 10 s');
  })();
  await Promise.race([up, spawned]);
  await run(process.execPath, [join(ROOT, 'bin', 'wavegate.js'), 'render', join(ROOT, 'examples', 'ameide'), '--out', out]);
}, 60_000);

afterAll(() => {
  registry?.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('publishing every environment to one OCI registry (docs/smokes.md, Publishing the charts)', () => {
  it('helm push of all environments keeps every version; each pulls back identical to what was rendered', async () => {
    const envs = readdirSync(out)
      .filter((e) => !e.startsWith('.'))
      .sort();
    expect(envs).toEqual(['dev', 'prod', 'staging']);
    const rendered = new Map<string, { file: string; sha: string }>();
    for (const env of envs) {
      const dir = join(out, env, 'smokes');
      const index = parse(readFileSync(join(dir, 'index.yaml'), 'utf8')) as {
        entries: Record<string, { version: string; urls: string[] }[]>;
      };
      for (const [name, versions] of Object.entries(index.entries)) {
        for (const v of versions) {
          const file = join(dir, v.urls[0]!);
          rendered.set(`${name}@${v.version}`, { file, sha: createHash('sha256').update(readFileSync(file)).digest('hex') });
        }
      }
    }
    expect(rendered.size).toBe(27);
    // the recipe: for f in out/*/smokes/*.tgz; do helm push "$f" oci://registry/charts; done
    for (const { file } of rendered.values()) {
      expect(await helm(['push', file, `oci://127.0.0.1:${port}/charts`, '--plain-http'])).toMatch(/Pushed: 127\.0\.0\.1:\d+\/charts\//);
    }
    // one repository per chart, one tag per environment (OCI tags write `+` as `_`)
    const names = [...new Set([...rendered.keys()].map((k) => k.split('@')[0]!))];
    expect(names).toHaveLength(9);
    for (const name of names) {
      const tags = ((await (await fetch(`http://127.0.0.1:${port}/v2/charts/${name}/tags/list`)).json()) as { tags: string[] }).tags.sort();
      expect(tags).toEqual(
        [...rendered.keys()]
          .filter((k) => k.startsWith(`${name}@`))
          .map((k) => k.split('@')[1]!.replace('+', '_'))
          .sort(),
      );
    }
    const pulled = join(dirs[0]!, 'pulled');
    for (const [key, { sha }] of rendered) {
      const [name, version] = key.split('@') as [string, string];
      const dest = join(pulled, key.replace(/[@+]/g, '_'));
      mkdirSync(dest, { recursive: true });
      await helm(['pull', `oci://127.0.0.1:${port}/charts/${name}`, '--version', version, '--plain-http', '--destination', dest]);
      const [tgz] = readdirSync(dest);
      expect(
        createHash('sha256')
          .update(readFileSync(join(dest, tgz!)))
          .digest('hex'),
        key,
      ).toBe(sha);
    }
  }, 120_000);
});
