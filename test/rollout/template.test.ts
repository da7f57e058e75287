import { describe, expect, it } from 'vitest';
import { evalTemplate, fieldsUsed } from '../../src/rollout/template.js';

// Semantics from Go's text/template (missingkey=error: "map has no entry for key") and Sprig
// (toString, replace OLD NEW S with the piped value last), as the ApplicationSet controller uses them;
// fasttemplate (goTemplate: false) leaves an unknown {{name}} as written.
const go = { goTemplate: true, missingKeyError: true };

describe('ApplicationSet template strings', () => {
  it('Go templates: fields, nested fields, pipelines with Sprig functions, trim markers', () => {
    const p = { name: 'crds', wave: -5, path: { basename: 'crds' } };
    expect(evalTemplate('{{ .name }}-{{ .path.basename }}', p, go)).toEqual({ ok: true, value: 'crds-crds' });
    expect(evalTemplate('{{ .wave | toString | replace "-" "m" }}', p, go)).toEqual({ ok: true, value: 'm5' });
    expect(evalTemplate('{{ .wave | toString | replace "-" "m" }}', { wave: 7 }, go)).toEqual({ ok: true, value: '7' });
    expect(evalTemplate('{{ .wave }}', { wave: 40 }, go)).toEqual({ ok: true, value: '40' });
    expect(evalTemplate('a {{- .name -}} b', p, go)).toEqual({ ok: true, value: 'acrdsb' });
    expect(evalTemplate('{{ lower "ABC" }}', p, go)).toEqual({ ok: true, value: 'abc' });
  });

  it('a missing field is an error with missingkey=error, "<no value>" without; what is not evaluated says so', () => {
    expect(evalTemplate('{{ .namespace }}', { name: 'a' }, go)).toEqual({ ok: false, missing: ['namespace'] });
    expect(evalTemplate('{{ .constructor }}', {}, go)).toEqual({ ok: false, missing: ['constructor'] });
    expect(evalTemplate('{{ .namespace }}', { name: 'a' }, { goTemplate: true, missingKeyError: false })).toEqual({
      ok: true,
      value: '<no value>',
    });
    expect(evalTemplate('{{ with .a }}x{{ end }}', {}, go)).toMatchObject({ ok: false, unsupported: expect.stringContaining('with') });
    expect(evalTemplate('{{ printf "%d" .wave }}', { wave: 1 }, go)).toMatchObject({
      ok: false,
      unsupported: expect.stringContaining('printf'),
    });
  });

  it('fasttemplate: flattened names, unknown names left as written', () => {
    const o = { goTemplate: false, missingKeyError: false };
    expect(evalTemplate('{{name}}/{{path.basename}}/{{nope}}', { name: 'a', 'path.basename': 'b' }, o)).toEqual({
      ok: true,
      value: 'a/b/{{nope}}',
    });
  });

  it('lists the fields a template reads, skipping strings and control words', () => {
    expect(
      fieldsUsed(`{{ .name }} {{ .wave | toString | replace "-" ".x" }} {{ .path.basename }} {{- if hasKey . "syncPolicy" }}`),
    ).toEqual(['name', 'wave', 'path.basename']);
  });
});

// Go text/template (exec.go walkIfOrWith, funcs.go eq/ne/not/and/or, isTrue): the forms an
// ApplicationSet templatePatch uses (Argo CD docs, "Templates": `{{- if .autoSync }} ... {{- end }}`).
describe('if / else if / else in Go templates', () => {
  const patch = `{{- if eq .componentType "smoke" }}\nspec:\n  source:\n    path: rendered/dev/smokes/{{ .name }}\n{{- end }}\n`;
  it('takes the first branch whose pipeline is true, trimming around the markers', () => {
    expect(evalTemplate(patch, { componentType: 'smoke', name: 's' }, go)).toEqual({
      ok: true,
      value: '\nspec:\n  source:\n    path: rendered/dev/smokes/s\n',
    });
    expect(evalTemplate(patch, { componentType: 'app', name: 's' }, go)).toEqual({ ok: true, value: '\n' });
    const chain = '{{ if eq .t "a" }}A{{ else if ne .t "b" }}notB{{ else }}B{{ end }}';
    expect(['a', 'b', 'c'].map((t) => evalTemplate(chain, { t }, go))).toEqual([
      { ok: true, value: 'A' },
      { ok: true, value: 'B' },
      { ok: true, value: 'notB' },
    ]);
    expect(evalTemplate('{{ if eq .t "x" "y" }}in{{ end }}', { t: 'y' }, go)).toEqual({ ok: true, value: 'in' });
  });
  it('Go truth: empty string, zero, false, nil, empty list and map are false', () => {
    const t = '{{ if .v }}T{{ else }}F{{ end }}';
    const r = ['', 0, false, null, [], {}, 'x', 1, true, [1], { a: 1 }].map((v) => evalTemplate(t, { v }, go));
    expect(r.map((x) => (x.ok ? x.value : '?')).join('')).toBe('FFFFFFTTTTT');
    expect(evalTemplate('{{ if and .a (not .b) }}x{{ end }}', {}, go)).toMatchObject({
      ok: false,
      unsupported: expect.stringContaining('parenthesised'),
    });
    expect(evalTemplate('{{ if not .b }}x{{ end }}', { b: false }, go)).toEqual({ ok: true, value: 'x' });
    expect(evalTemplate('{{ if or .a .b }}x{{ end }}', { a: '', b: 'y' }, go)).toEqual({ ok: true, value: 'x' });
  });
  it('a missing field in a condition is an error under missingkey=error; unmatched or other control words are not evaluated', () => {
    expect(evalTemplate('{{ if .nope }}x{{ end }}', {}, go)).toEqual({ ok: false, missing: ['nope'] });
    expect(evalTemplate('{{ if .a }}x', { a: 1 }, go)).toMatchObject({ ok: false, unsupported: expect.stringContaining('end') });
    expect(evalTemplate('x{{ end }}', {}, go)).toMatchObject({ ok: false });
    expect(evalTemplate('{{ range .a }}x{{ end }}', { a: [1] }, go)).toMatchObject({
      ok: false,
      unsupported: expect.stringContaining('range'),
    });
    expect(evalTemplate('{{ if eq .wave 5 }}x{{ end }}', { wave: 5 }, go)).toMatchObject({
      ok: false,
      unsupported: expect.stringContaining('numbers'),
    });
    expect(evalTemplate('{{ if eq .t 5 }}x{{ end }}', { t: 'a' }, go)).toMatchObject({
      ok: false,
      unsupported: expect.stringContaining('types'),
    });
  });
});

describe('Sprig hasKey and toJson (the example templatePatch: a component syncPolicy replaces the default)', () => {
  it('hasKey on the parameter map; toJson as Go encoding/json (sorted keys, HTML characters escaped)', () => {
    const t = '{{- if hasKey . "syncPolicy" }}\nspec:\n  syncPolicy: {{ toJson .syncPolicy }}\n{{- end }}';
    expect(evalTemplate(t, { syncPolicy: { z: 1, automated: { prune: true } } }, go)).toEqual({
      ok: true,
      value: '\nspec:\n  syncPolicy: {"automated":{"prune":true},"z":1}',
    });
    expect(evalTemplate(t, { name: 'x' }, go)).toEqual({ ok: true, value: '' });
    expect(evalTemplate('{{ toJson .a }}', { a: '<&>' }, go)).toEqual({ ok: true, value: '"\\u003c\\u0026\\u003e"' });
  });
});
