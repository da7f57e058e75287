/**
 * argocd-cm key grammar of `health eval --argocd-cm`, checked against Argo CD's own reader:
 * util/settings/settings.go at v3.5.1 (`git -C /work/.mirror/argoproj+argo-cd/repo show
 * v3.5.1:util/settings/settings.go`):
 *   - lines 1051-1055: the legacy `resource.customizations` block, yaml.Unmarshal into
 *     map[string]ResourceOverride (rawResourceOverride: `health.lua` string,
 *     `health.lua.useOpenLibs` bool);
 *   - lines 1140-1205 appendResourceOverridesFromSplitKeys: strings.HasPrefix(k,
 *     "resource.customizations"), strings.SplitN(k, ".", 4) (fewer than 4 parts skipped),
 *     `all` -> `*\/*` (1157-1158), useOpenLibs through strconv.ParseBool (1170-1175), any other
 *     type "resource customization type %s not supported" (1199-1200); every error is returned;
 *   - lines 1207-1218 convertToOverrideKey: exactly two `_` parts -> group/kind, one part kept,
 *     else the "group kind should be in format ..." error;
 *   - GetResourceOverrides returns (nil, err): controller/appcontroller.go:877-879 reports
 *     "error getting resource overrides", so no override applies.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/errors.js';
import { argocdCmSource, convertToOverrideKey, goParseBool } from '../../src/lua/resolve.js';

const HEALTHY = 'return {status = "Healthy", message = "ok"}';
const cm = (data: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data });

function refusal(data: Record<string, unknown>): string {
  try {
    argocdCmSource(cm(data));
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('argocdCmSource accepted a ConfigMap Argo CD refuses');
}

describe('convertToOverrideKey (settings.go:1210-1218; settings_test.go TestConvertToOverrideKey)', () => {
  it('splits on exactly one `_`, keeps a part without `_`, refuses the rest', () => {
    expect(convertToOverrideKey('cert-manager.io_Certificate')).toBe('cert-manager.io/Certificate');
    expect(convertToOverrideKey('Certificate')).toBe('Certificate');
    expect(convertToOverrideKey('_')).toBe('/');
    expect(() => convertToOverrideKey('')).toThrow("got group kind: ''");
    expect(() => convertToOverrideKey('example.io_My_Kind')).toThrow(
      "group kind should be in format `resource.customizations.<type>.<group_kind>` or resource.customizations.<type>.<kind>`, got group kind: 'example.io_My_Kind'",
    );
  });
});

describe('strconv.ParseBool for useOpenLibs (settings.go:1170-1175)', () => {
  it('takes exactly Go ParseBool spellings', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(goParseBool(t), t).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(goParseBool(f), f).toBe(false);
    for (const bad of ['yes', 'on', 'tRUE', ' true', '', 'y', '2']) {
      expect(() => goParseBool(bad), bad).toThrow(`strconv.ParseBool: parsing ${JSON.stringify(bad)}: invalid syntax`);
    }
    expect(() => goParseBool('a\tb')).toThrow('parsing "a\\tb": invalid syntax');
  });
});

describe('argocd-cm split keys as Argo reads them', () => {
  it('`T` and `1` open the libraries, `False` closes them', () => {
    const src = argocdCmSource(
      cm({
        'resource.customizations.health.example.io_A': 'return {status = "Healthy", message = string.upper("a")}',
        'resource.customizations.useOpenLibs.example.io_A': 'T',
        'resource.customizations.health.example.io_B': HEALTHY,
        'resource.customizations.useOpenLibs.example.io_B': '1',
        'resource.customizations.health.example.io_C': HEALTHY,
        'resource.customizations.useOpenLibs.example.io_C': 'False',
      }),
    );
    expect(src.resolve('example.io', 'A')!.openLibs).toBe(true);
    expect(src.resolve('example.io', 'B')!.openLibs).toBe(true);
    expect(src.resolve('example.io', 'C')!.openLibs).toBe(false);
  });

  it('a useOpenLibs value ParseBool refuses drops every override, as Argo does', () => {
    const msg = refusal({
      'resource.customizations.health.example.io_Widget': HEALTHY,
      'resource.customizations.useOpenLibs.example.io_Widget': 'yes',
    });
    expect(msg).toContain('applies none of them');
    expect(msg).toContain('data."resource.customizations.useOpenLibs.example.io_Widget": strconv.ParseBool: parsing "yes": invalid syntax');
  });

  it('a key whose last part has two `_` is an error, and the valid keys beside it are dropped too', () => {
    const msg = refusal({
      'resource.customizations.health.example.io_Widget': HEALTHY,
      'resource.customizations.health.example.io_My_Kind': HEALTHY,
    });
    expect(msg).toContain(
      'data."resource.customizations.health.example.io_My_Kind": group kind should be in format `resource.customizations.<type>.<group_kind>` or resource.customizations.<type>.<kind>`, got group kind: \'example.io_My_Kind\'',
    );
    expect(msg).not.toContain('example.io_Widget');
  });

  it('every refused key is listed, sorted (Go reports whichever its map order meets first)', () => {
    const msg = refusal({
      'resource.customizations.health.b_c_d': HEALTHY,
      'resource.customizations.health.a_b_c': HEALTHY,
      'resource.customizations.healthz.example.io_Widget': HEALTHY,
    });
    const lines = msg.split('\n').slice(1);
    expect(lines).toEqual([
      expect.stringContaining('data."resource.customizations.health.a_b_c": group kind should be'),
      expect.stringContaining('data."resource.customizations.health.b_c_d": group kind should be'),
      '  data."resource.customizations.healthz.example.io_Widget": resource customization type healthz not supported',
    ]);
  });

  it('`all` is `*/*`: every kind with a group, not core kinds (no `/` in their key)', () => {
    const src = argocdCmSource(cm({ 'resource.customizations.health.all': HEALTHY }));
    expect(src.resolve('apps', 'Deployment')!.groupKind).toBe('*/*');
    expect(src.resolve('example.io', 'Widget')!.groupKind).toBe('*/*');
    expect(src.resolve('', 'Pod')).toBeUndefined();
  });

  it('the group keeps its dots (SplitN 4), fewer than 4 parts are skipped, the prefix is matched as a plain prefix', () => {
    const src = argocdCmSource(
      cm({
        'resource.customizations.health.sub.example.io_Widget': HEALTHY,
        'resource.customizations.health': 'not a key Argo reads',
        'resource.customizationsX.health.other.io_Gadget': HEALTHY,
      }),
    );
    expect(src.resolve('sub.example.io', 'Widget')!.groupKind).toBe('sub.example.io/Widget');
    expect(src.resolve('other.io', 'Gadget')!.groupKind).toBe('other.io/Gadget');
    expect(() => argocdCmSource(cm({ 'resource.customizations.health.': HEALTHY }))).toThrow("got group kind: ''");
  });

  it('an empty split health value hides the legacy script of that kind (HealthLua = "")', () => {
    const src = argocdCmSource(
      cm({
        'resource.customizations': `example.io/Widget:\n  health.lua: |\n    ${HEALTHY}\n`,
        'resource.customizations.health.example.io_Widget': '',
      }),
    );
    expect(src.resolve('example.io', 'Widget')).toBeUndefined();
  });

  it('ignoreDifferences / knownTypeFields that do not unmarshal also drop every override', () => {
    expect(refusal({ 'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: /spec/replicas' })).toContain(
      'cannot unmarshal string into Go struct field OverrideIgnoreDiff.jsonPointers of type []string',
    );
    expect(refusal({ 'resource.customizations.knownTypeFields.apps_Deployment': 'field: spec' })).toContain(
      'of type []v1alpha1.KnownTypeField',
    );
    // a number in a string list is coerced to a string by sigs.k8s.io/yaml: accepted
    expect(() => argocdCmSource(cm({ 'resource.customizations.ignoreDifferences.all': 'jsonPointers: [1]' }))).not.toThrow();
  });
});

describe('the legacy resource.customizations block', () => {
  it('reads health.lua.useOpenLibs as a YAML 1.1 boolean (go-yaml v2): yes is true', () => {
    const src = argocdCmSource(
      cm({ 'resource.customizations': `example.io/Widget:\n  health.lua: '${HEALTHY}'\n  health.lua.useOpenLibs: yes\n` }),
    );
    expect(src.resolve('example.io', 'Widget')!.openLibs).toBe(true);
  });
  it('a quoted "true" does not unmarshal into the bool: Argo refuses the ConfigMap', () => {
    const msg = refusal({
      'resource.customizations': `example.io/Widget:\n  health.lua: '${HEALTHY}'\n  health.lua.useOpenLibs: "true"\n`,
    });
    expect(msg).toContain('cannot unmarshal string into Go struct field rawResourceOverride.health.lua.useOpenLibs of type bool');
  });
});

describe('wavegate health eval --argocd-cm with a key Argo refuses', () => {
  it("exits 2 with the key and Argo's error on stderr, no stack trace", async () => {
    const root = mkdtempSync(join(tmpdir(), 'wavegate-cm-'));
    writeFileSync(
      join(root, 'cm.yaml'),
      JSON.stringify(
        cm({
          'resource.customizations.health.example.io_Widget': HEALTHY,
          'resource.customizations.health.example.io_Big_Widget': HEALTHY,
        }),
      ),
    );
    writeFileSync(join(root, 'w.yaml'), 'apiVersion: example.io/v1\nkind: Widget\n');
    let err = '';
    let out = '';
    const origErr = process.stderr.write.bind(process.stderr);
    const origOut = process.stdout.write.bind(process.stdout);
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['health', 'eval', join(root, 'w.yaml'), '--argocd-cm', join(root, 'cm.yaml')]);
    } finally {
      process.stderr.write = origErr;
      process.stdout.write = origOut;
      process.exitCode = undefined;
    }
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`wavegate: error: ${join(root, 'cm.yaml')}: Argo CD refuses this argocd-cm's resource overrides`);
    expect(err).toContain("got group kind: 'example.io_Big_Widget'");
    expect(err).not.toMatch(/\n\s+at /);
  });
});
