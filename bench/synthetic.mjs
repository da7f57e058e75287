// Synthetic catalogs for benchmarks and scale tests: realistic shape (four tiers, waves
// inside their bands, dependency fan-in/out on earlier waves, provides/consumes along the
// edges, health kinds, smokes validating what they depend on), deterministic for a seed,
// and clean: `wavegate check` finds nothing in it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TIERS = [
  { name: 'foundation', waves: [0, 15], types: ['crd', 'operator', 'secret-store', 'secrets'] },
  { name: 'data', waves: [16, 35], types: ['runtime', 'migration', 'config'] },
  { name: 'platform', waves: [36, 70], types: ['gateway', 'workload', 'config'] },
  { name: 'apps', waves: [71, 99], types: ['workload'] },
];
const HEALTH = [
  'external-secrets.io/ExternalSecret',
  'cert-manager.io/Certificate',
  'postgresql.cnpg.io/Cluster',
  'kafka.strimzi.io/Kafka',
  'gateway.networking.k8s.io/Gateway',
  'apps/Deployment',
];

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The components of a synthetic catalog (plain objects as written to component.yaml).
 * @param {number} count
 * @param {number} [seed]
 */
export function syntheticComponents(count, seed = 382) {
  const rand = rng(seed);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const shares = [0.2, 0.3, 0.3, 0.2];
  const comps = [];
  let made = 0;
  TIERS.forEach((tier, ti) => {
    const n = ti === TIERS.length - 1 ? count - made : Math.round(count * shares[ti]);
    const [lo, hi] = tier.waves;
    for (let i = 0; i < n; i++) {
      // spread components across the band in order, so earlier ones sit in earlier waves
      const wave = lo + Math.floor((i * (hi - lo + 1)) / Math.max(n, 1));
      comps.push({ tierIndex: ti, tier: tier.name, wave, index: made + i, type: pick(tier.types) });
    }
    made += n;
  });
  const out = [];
  const byWave = []; // components already placed; waves never decrease along `comps`
  let lastWave = -Infinity;
  let earlierCount = 0; // how many of byWave have a wave below the current one
  for (const c of comps) {
    const name = `${c.tier}-c${String(c.index).padStart(6, '0')}`;
    if (c.wave !== lastWave) {
      earlierCount = byWave.length;
      lastWave = c.wave;
    }
    const deps = new Set();
    const fan = earlierCount === 0 ? 0 : 1 + Math.floor(rand() * 3);
    for (let k = 0; k < fan; k++) {
      // mostly recent neighbours, sometimes a foundation component far back
      const j = rand() < 0.7 ? earlierCount - 1 - Math.floor(rand() * Math.min(50, earlierCount)) : Math.floor(rand() * earlierCount);
      deps.add(byWave[j].name);
    }
    const isSmoke = earlierCount > 3 && c.index % 25 === 24;
    const comp = {
      name,
      tier: c.tier,
      wave: c.wave,
      domain: `d${c.index % 17}`,
      componentType: isSmoke ? 'smoke' : c.type,
      namespace: `ns-${c.index % 40}`,
    };
    if (deps.size) comp.dependencies = [...deps].sort();
    comp.provides = { secrets: [`${name}-creds`], services: [`svc-${name}`] };
    if (deps.size) comp.consumes = { secrets: [...deps].map((d) => `${d}-creds`).sort() };
    if (!isSmoke) comp.health = [pick(HEALTH)];
    if (isSmoke) {
      const validates = [...deps].sort();
      comp.smoke = {
        validates,
        externalSecrets: validates.map((v) => ({ name: `${v}-creds` })),
        secrets: validates.map((v) => ({ name: `${v}-creds`, keys: ['username', 'password'] })),
      };
      delete comp.provides;
    }
    out.push(comp);
    byWave.push({ name, wave: c.wave });
  }
  return out;
}

function toYaml(c) {
  // Written by hand (not via a YAML library) so the benchmark measures wavegate, not the generator.
  const lines = [];
  const scalar = (v) => (typeof v === 'number' ? String(v) : /^[a-z0-9./-]+$/i.test(v) ? v : JSON.stringify(v));
  const list = (key, arr, indent = '') => {
    lines.push(`${indent}${key}:`);
    for (const v of arr) lines.push(`${indent}  - ${scalar(v)}`);
  };
  for (const [k, v] of Object.entries(c)) {
    if (Array.isArray(v)) list(k, v);
    else if (v && typeof v === 'object') {
      lines.push(`${k}:`);
      for (const [k2, v2] of Object.entries(v)) {
        if (Array.isArray(v2) && v2.length && typeof v2[0] === 'object') {
          lines.push(`  ${k2}:`);
          for (const item of v2) {
            const entries = Object.entries(item);
            entries.forEach(([k3, v3], i) => {
              const lead = i === 0 ? '    - ' : '      ';
              lines.push(Array.isArray(v3) ? `${lead}${k3}: [${v3.map(scalar).join(', ')}]` : `${lead}${k3}: ${scalar(v3)}`);
            });
          }
        } else if (Array.isArray(v2)) list(k2, v2, '  ');
        else lines.push(`  ${k2}: ${scalar(v2)}`);
      }
    } else lines.push(`${k}: ${scalar(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a synthetic catalog: `count` components in each of `envs` environments (each
 * environment has its own files, the heavier case for loading).
 * @param {string} root
 * @param {{count: number, envs?: string[], seed?: number}} options
 * @returns {number} files written
 */
export function writeSyntheticCatalog(root, { count, envs = ['dev', 'staging', 'prod'], seed = 382, messy = false }) {
  const comps = syntheticComponents(count, seed);
  let files = 0;
  if (messy) {
    // A catalog mid-migration: the last environment also has `count` components of its own
    // (leaves: no dependencies, nothing depends on them), so env-parity warns about each in
    // the two environments that lack it: about 2 x count warnings, no errors.
    for (const env of envs.slice(-1)) {
      for (let i = 0; i < count; i++) {
        const name = `${env}-only-${i}`;
        const dir = join(root, 'environments', env, 'components', 'apps', name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'component.yaml'), toYaml({ name, tier: 'apps', wave: 90, componentType: 'workload' }));
        files++;
      }
    }
  }
  for (const env of envs) {
    for (const c of comps) {
      const dir = join(root, 'environments', env, 'components', c.tier, c.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'component.yaml'), toYaml(c));
      files++;
    }
  }
  return files;
}
