import { describe, expect, it } from 'vitest';
import { checkCatalog, loadCatalog, UserError, type Finding } from '../../src/index.js';
import { catalogOf, componentPath, writeCatalog } from '../helpers/catalog.js';

const base = { name: 'app', tier: 'apps', wave: 40 };

/** Loads + checks a catalog whose dev environment has one component file with `text`. */
function findingsFor(text: string | Buffer): Finding[] {
  const root = writeCatalog({ [componentPath('dev', 'app')]: text });
  return checkCatalog(loadCatalog(root));
}

function only(findings: Finding[]): Finding {
  expect(findings, JSON.stringify(findings, null, 2)).toHaveLength(1);
  return findings[0]!;
}

describe('loading a catalog', () => {
  it('loads environments, merges _shared, lets an environment replace a shared component, skips disabled files', () => {
    const root = writeCatalog({
      'environments/_shared/components/a/component.yaml': { name: 'a', tier: 'foundation', wave: 1 },
      'environments/_shared/components/b/component.yaml': { name: 'b', tier: 'foundation', wave: 2 },
      'environments/dev/components/b/component.yaml': { name: 'b', tier: 'foundation', wave: 5 },
      'environments/dev/components/c/component.disabled.yaml': { name: 'c', tier: 'foundation', wave: 9 },
      'environments/prod/components/x/component.yaml': 'name: x\ntier: apps\nwave: "43"\n',
    });
    const cat = loadCatalog(root);
    expect(cat.findings).toEqual([]);
    expect(cat.environments.map((e) => e.name)).toEqual(['dev', 'prod']);
    const dev = cat.environments[0]!;
    expect(dev.components.map((c) => [c.name, c.wave, c.origin])).toEqual([
      ['a', 1, 'shared'],
      ['b', 5, 'env'],
    ]);
    const prod = cat.environments[1]!;
    expect(prod.components.map((c) => [c.name, c.wave])).toEqual([
      ['a', 1],
      ['b', 2],
      ['x', 43],
    ]);
    expect(prod.byName.get('x')!.componentType).toBe('workload');
    expect(prod.byName.get('x')!.file).toBe('environments/prod/components/x/component.yaml');
  });

  it('--env loads one environment and rejects an unknown one', () => {
    const root = catalogOf([base], { envs: ['dev', 'prod'] });
    expect(loadCatalog(root, { env: 'prod' }).environments.map((e) => e.name)).toEqual(['prod']);
    expect(() => loadCatalog(root, { env: 'qa' })).toThrow(/environment "qa" not found .*found: dev, prod/);
  });

  it('a missing environments/ folder is a usage error naming the folder', () => {
    const root = writeCatalog({ 'wavegate.yaml': 'tiers: [{name: a, waves: [0, 1]}]\n' });
    expect(() => loadCatalog(root)).toThrow(UserError);
    expect(() => loadCatalog(root)).toThrow(/no environments\/ folder/);
  });

  it('a missing catalog folder is a usage error', () => {
    expect(() => loadCatalog('/nonexistent/catalog')).toThrow(/catalog not found: \/nonexistent\/catalog/);
  });
});

describe('bad component files give one clear finding with file, field and line', () => {
  const file = componentPath('dev', 'app');

  it('YAML syntax error, with line and column', () => {
    const f = only(findingsFor('name: app\ntier: [apps\nwave: 4\n'));
    expect(f).toMatchObject({ rule: 'yaml', severity: 'error', environment: 'dev', file, line: 3 });
    expect(f.message).toMatch(/^YAML syntax: /);
  });

  it('a list instead of a mapping', () => {
    const f = only(findingsFor('- name: app\n- tier: apps\n'));
    expect(f).toMatchObject({ rule: 'yaml', file, line: 1, column: 1 });
    expect(f.message).toBe('expected a mapping of component fields, found a list');
  });

  it('a scalar instead of a mapping', () => {
    expect(only(findingsFor('just words\n')).message).toBe('expected a mapping of component fields, found a string');
  });

  it('an empty file', () => {
    expect(only(findingsFor('')).message).toMatch(/^empty file/);
    expect(only(findingsFor('# only a comment\n')).message).toMatch(/^empty file/);
  });

  it('binary garbage', () => {
    const bytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]);
    expect(only(findingsFor(bytes))).toMatchObject({ rule: 'yaml', file, message: 'not a text file (contains NUL bytes)' });
    expect(only(findingsFor(Buffer.from([0x6e, 0x61, 0xff, 0xfe, 0x3a]))).message).toBe('not a text file (invalid UTF-8)');
  });

  it('a YAML alias bomb is refused quickly instead of expanding', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const f = only(findingsFor(`${lines.join('\n')}\n`));
    expect(f.rule).toBe('yaml');
    expect(f.message).toMatch(/aliases expand too much/);
    expect(Date.now() - started).toBeLessThan(20_000); // bounded: 9^11 nodes would never finish
  });

  it('duplicate keys', () => {
    const f = only(findingsFor('name: app\ntier: apps\nwave: 40\nwave: 41\n'));
    expect(f).toMatchObject({ rule: 'yaml', line: 4, column: 1 });
    expect(f.message).toMatch(/Map keys must be unique/);
  });

  it('a non-integer wave', () => {
    for (const w of ['4.5', '"soon"', '[1]']) {
      const f = only(findingsFor(`name: app\ntier: apps\nwave: ${w}\n`));
      expect(f).toMatchObject({ rule: 'schema', component: 'app', file, line: 3, column: 7 });
      expect(f.message).toMatch(/^wave: must be an integer \(a quoted integer such as "43" is accepted\), got /);
    }
  });

  it('accepts a quoted and a negative wave', () => {
    expect(findingsFor('name: app\ntier: apps\nwave: "43"\n')).toEqual([]);
    const root = writeCatalog({
      'wavegate.yaml': 'tiers: [{name: boot, waves: [-5, 0]}]\n',
      [file]: 'name: app\ntier: boot\nwave: -3\n',
    });
    expect(checkCatalog(loadCatalog(root))).toEqual([]);
  });

  it('an invalid name', () => {
    for (const n of ['App_1', 'a'.repeat(64), '-x']) {
      const f = only(findingsFor(`name: "${n}"\ntier: apps\nwave: 40\n`));
      expect(f).toMatchObject({ rule: 'schema', line: 1, column: 7 });
      expect(f.message).toContain('is not a DNS-1123 label');
    }
  });

  it('a missing required field', () => {
    const f = only(findingsFor('name: app\nwave: 40\n'));
    expect(f).toMatchObject({ rule: 'schema', line: 1 });
    expect(f.message).toBe('missing required field "tier"');
  });

  it('an unknown tier, with a suggestion', () => {
    const f = only(findingsFor('name: app\ntier: platfrom\nwave: 40\n'));
    expect(f).toMatchObject({ rule: 'schema', line: 2, column: 7 });
    expect(f.message).toBe(
      `tier: "platfrom" is not one of the catalog's tiers (foundation, data, platform, apps) (did you mean "platform"?)`,
    );
  });

  it('a smoke block on a non-smoke component, and a smoke component without one', () => {
    const f = only(findingsFor('name: app\ntier: apps\nwave: 40\nsmoke:\n  validates: [x]\n'));
    expect(f).toMatchObject({ rule: 'schema', line: 4, column: 1 });
    expect(f.message).toMatch(/^smoke: only a component with componentType: smoke may have a smoke block/);
    const g = only(findingsFor('name: app\ntier: apps\nwave: 40\ncomponentType: smoke\n'));
    expect(g.message).toMatch(/missing required field "smoke"/);
  });

  it('a kind written in lower case is explained in words, with the capitalised kind suggested', () => {
    const root = writeCatalog({ [componentPath('dev', 'x')]: { ...base, health: ['apps/deployment'] } });
    const f = loadCatalog(root).findings[0]!;
    expect(f.message).toBe(
      'health[0]: "apps/deployment" is not a kind: expected group/Kind with the Kind capitalised as in the manifest (apps/Deployment, external-secrets.io/ExternalSecret), or Kind alone for a core kind (Service) (did you mean "apps/Deployment"?)',
    );
  });

  it('an unknown key names the key and suggests the closest known one', () => {
    const f = only(findingsFor('name: app\ntier: apps\nwave: 40\ndependson: []\n'));
    expect(f).toMatchObject({ rule: 'schema', line: 4, column: 1 });
    expect(f.message).toBe('dependson: unknown field (did you mean "dependencies"?)');
    const g = only(findingsFor('name: app\ntier: apps\nwave: 40\nprovides:\n  secret: [x]\n'));
    expect(g).toMatchObject({ line: 5, column: 3 });
    expect(g.message).toBe('provides.secret: unknown field (did you mean "secrets"?)');
  });

  it('extraFields lets a catalog accept its own keys', () => {
    const root = writeCatalog({
      'wavegate.yaml': 'extraFields: [owner]\n',
      [file]: 'name: app\ntier: apps\nwave: 40\nowner: team-a\n',
    });
    expect(checkCatalog(loadCatalog(root))).toEqual([]);
  });

  it('dependsOn gets its own explanation', () => {
    const f = only(findingsFor('name: app\ntier: apps\nwave: 40\ndependsOn: [db]\n'));
    expect(f).toMatchObject({ rule: 'schema', line: 4, column: 1 });
    expect(f.message).toMatch(/^dependsOn: this platform does not use Argo CD dependsOn .* under "dependencies"$/);
  });

  it('a duplicate component name in one environment', () => {
    const root = writeCatalog({
      'environments/dev/components/one/component.yaml': base,
      'environments/dev/components/two/component.yaml': base,
    });
    const f = only(checkCatalog(loadCatalog(root)));
    expect(f).toMatchObject({
      rule: 'duplicate-component',
      environment: 'dev',
      component: 'app',
      file: 'environments/dev/components/two/component.yaml',
      line: 1,
    });
    expect(f.message).toBe('component name "app" is already used in environment dev by environments/dev/components/one/component.yaml');
  });

  it('a dependency on a component that does not exist', () => {
    const root = catalogOf([
      { name: 'db', tier: 'data', wave: 20 },
      { ...base, dependencies: ['db', 'dbb', 'cache'] },
    ]);
    const findings = checkCatalog(loadCatalog(root));
    expect(findings.map((f) => [f.rule, f.component, f.related, f.line, f.message])).toEqual([
      ['unknown-dependency', 'app', ['dbb'], 6, 'dependency "dbb" names no component in environment dev (did you mean "db"?)'],
      ['unknown-dependency', 'app', ['cache'], 7, 'dependency "cache" names no component in environment dev'],
    ]);
  });

  it('a dependency on a component whose own file is broken is not reported twice', () => {
    const root = writeCatalog({
      [componentPath('dev', 'db')]: 'name: db\ntier: data\nwave: many\n',
      [componentPath('dev', 'app')]: { ...base, dependencies: ['db'] },
    });
    const findings = checkCatalog(loadCatalog(root));
    expect(findings.map((f) => f.rule)).toEqual(['schema']);
  });
});

describe('wavegate.yaml', () => {
  it('invalid settings are a usage error with file, line and field', () => {
    const root = writeCatalog({ 'wavegate.yaml': 'tiers:\n  - name: a\n    waves: [0]\n', [componentPath('dev', 'x')]: base });
    expect(() => loadCatalog(root)).toThrow('wavegate.yaml:3:12: tiers[0].waves: must NOT have fewer than 2 items');
  });

  it('an unknown section is an error with a suggestion', () => {
    const root = writeCatalog({ 'wavegate.yaml': 'tiers: []\ntier: []\n', [componentPath('dev', 'x')]: base });
    expect(() => loadCatalog(root)).toThrow(/wavegate.yaml:2:1: tier: unknown section \(did you mean "tiers"\?\)/);
  });

  it('an unknown key inside a section gets a suggestion too: a rule id, a smoke setting; a fixed-severity rule says so', () => {
    const root = writeCatalog({
      'wavegate.yaml': 'rules:\n  wave-ordr: off\n  health-test: off\nsmoke:\n  imag: {}\n',
      [componentPath('dev', 'x')]: base,
    });
    expect(() => loadCatalog(root)).toThrow(
      [
        'wavegate.yaml:5:3: smoke.imag: unknown field (did you mean "image"?)',
        'wavegate.yaml:2:3: rules.wave-ordr: unknown field (did you mean "wave-order"?)',
        'wavegate.yaml:3:3: rules.health-test: its severity cannot be changed (a check that fails its lint or tests is never shipped)',
      ].join('\n'),
    );
  });

  it('an empty band and a repeated tier are errors', () => {
    const a = writeCatalog({ 'wavegate.yaml': 'tiers: [{name: a, waves: [5, 1]}]\n', [componentPath('dev', 'x')]: base });
    expect(() => loadCatalog(a)).toThrow(/tiers\[0\].waves: band \[5, 1\] is empty/);
    const b = writeCatalog({
      'wavegate.yaml': 'tiers: [{name: a, waves: [0, 1]}, {name: a, waves: [2, 3]}]\n',
      [componentPath('dev', 'x')]: base,
    });
    expect(() => loadCatalog(b)).toThrow(/tiers\[1\].name: tier "a" is listed twice/);
  });
});

describe('component files nothing would read', () => {
  it('component.yml, Component.yaml, and a component.yml beside component.yaml are errors naming the file', () => {
    const root = writeCatalog({
      'environments/dev/components/a/component.yml': { name: 'a', tier: 'apps', wave: 40 },
      'environments/dev/components/b/Component.yaml': { name: 'b', tier: 'apps', wave: 40 },
      'environments/_shared/components/c/component.yaml': { name: 'c', tier: 'apps', wave: 40 },
      'environments/_shared/components/c/component.yml': { name: 'c', tier: 'apps', wave: 41 },
      'environments/dev/components/d/component.disabled.yaml': { name: 'd', tier: 'apps', wave: 40 },
      'environments/dev/components/e/values.yaml': { replicas: 1 },
    });
    const f = loadCatalog(root).findings.map((x) => [x.rule, x.environment, x.file, x.message]);
    expect(f).toEqual([
      [
        'component-file',
        undefined,
        'environments/_shared/components/c/component.yml',
        "component.yml is not read: this folder's component.yaml is; remove one of the two",
      ],
      [
        'component-file',
        'dev',
        'environments/dev/components/a/component.yml',
        "component.yml is not read: component files are named component.yaml (wavegate and the ApplicationSet's git files generator select that name); rename it",
      ],
      [
        'component-file',
        'dev',
        'environments/dev/components/b/Component.yaml',
        "Component.yaml is not read: component files are named component.yaml (wavegate and the ApplicationSet's git files generator select that name); rename it",
      ],
    ]);
  });
});
