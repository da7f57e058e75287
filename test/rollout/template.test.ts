import { describe, expect, it } from 'vitest';
import { evalTemplate, fieldsUsed } from '../../src/rollout/template.js';

// Semantics from Go's text/template (missingkey=error: "map has no entry for key") and Sprig
// (toString, replace OLD NEW S with the piped value last), as the ApplicationSet controller uses them;
// fasttemplate (goTemplate: false) leaves an unknown {{name}} as written.
const go = { goTemplate: true, missingKeyError: true };

describe('ApplicationSet template strings', () => {
  it('Go templates: fields, nested fields, pipelines with Sprig functions, trim markers', () => {
    const p = { name: 'crds', wave: -5, path: { basename: 'crds' } };
    expect(evalTemplate("{{ .name }}-{{ .path.basename }}", p, go)).toEqual({ ok: true, value: 'crds-crds' });
    expect(evalTemplate('{{ .wave | toString | replace "-" "m" }}', p, go)).toEqual({ ok: true, value: 'm5' });
    expect(evalTemplate('{{ .wave | toString | replace "-" "m" }}', { wave: 7 }, go)).toEqual({ ok: true, value: '7' });
    expect(evalTemplate('{{ .wave }}', { wave: 40 }, go)).toEqual({ ok: true, value: '40' });
    expect(evalTemplate('a {{- .name -}} b', p, go)).toEqual({ ok: true, value: 'acrdsb' });
    expect(evalTemplate('{{ lower "ABC" }}', p, go)).toEqual({ ok: true, value: 'abc' });
  });

  it('a missing field is an error with missingkey=error, "<no value>" without; what is not evaluated says so', () => {
    expect(evalTemplate('{{ .namespace }}', { name: 'a' }, go)).toEqual({ ok: false, missing: ['namespace'] });
    expect(evalTemplate('{{ .constructor }}', {}, go)).toEqual({ ok: false, missing: ['constructor'] });
    expect(evalTemplate('{{ .namespace }}', { name: 'a' }, { goTemplate: true, missingKeyError: false })).toEqual({ ok: true, value: '<no value>' });
    expect(evalTemplate('{{ if .a }}x{{ end }}', {}, go)).toMatchObject({ ok: false, unsupported: expect.stringContaining('if') });
    expect(evalTemplate('{{ printf "%d" .wave }}', { wave: 1 }, go)).toMatchObject({ ok: false, unsupported: expect.stringContaining('printf') });
  });

  it('fasttemplate: flattened names, unknown names left as written', () => {
    const o = { goTemplate: false, missingKeyError: false };
    expect(evalTemplate('{{name}}/{{path.basename}}/{{nope}}', { name: 'a', 'path.basename': 'b' }, o)).toEqual({ ok: true, value: 'a/b/{{nope}}' });
  });

  it('lists the fields a template reads, skipping strings and control words', () => {
    expect(fieldsUsed(`{{ .name }} {{ .wave | toString | replace "-" ".x" }} {{ .path.basename }} {{- if hasKey . "syncPolicy" }}`)).toEqual(['name', 'wave', 'path.basename']);
  });
});
