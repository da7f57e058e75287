// The Settings type (src/catalog/types.ts) names each wavegate.yaml section and its fields, so
// consumers read `catalog.settings.smoke?.runner` without casts. Its fields must be the
// schema's (schemas/wavegate.schema.json, which validates the file): this reads both, the type
// with the TypeScript parser, and fails when a section or field is in one and not the other,
// or when an enum's values differ.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'wavegate.schema.json'), 'utf8')) as SchemaNode;
const typesFile = ts.createSourceFile(
  'types.ts',
  readFileSync(join(ROOT, 'src', 'catalog', 'types.ts'), 'utf8'),
  ts.ScriptTarget.Latest,
  true,
);

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  $ref?: string;
  enum?: unknown[];
  type?: string;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
}

const deref = (n: SchemaNode): SchemaNode => (n.$ref ? schema.definitions![n.$ref.replace('#/definitions/', '')]! : n);

function declaration(name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  return typesFile.statements.find(
    (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
  );
}

/** The members of a type written in types.ts (an interface, a type literal, either one alone in a union with undefined/null). */
function members(t: ts.TypeNode): Map<string, ts.TypeNode> | undefined {
  if (ts.isUnionTypeNode(t)) {
    const rest = t.types.filter(
      (x) => x.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(x) && x.literal.kind === ts.SyntaxKind.NullKeyword),
    );
    return rest.length === 1 ? members(rest[0]!) : undefined;
  }
  let list: ts.NodeArray<ts.TypeElement> | undefined;
  if (ts.isTypeLiteralNode(t)) list = t.members;
  else if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
    const d = declaration(t.typeName.text);
    if (d && ts.isInterfaceDeclaration(d)) list = d.members;
    else if (d && ts.isTypeAliasDeclaration(d)) return members(d.type);
  }
  if (!list) return undefined;
  const out = new Map<string, ts.TypeNode>();
  for (const m of list)
    if (ts.isPropertySignature(m) && m.type) out.set(ts.isIdentifier(m.name) ? m.name.text : (m.name as ts.StringLiteral).text, m.type);
  return out;
}

/** The string literals of a union type (undefined when it is not one). */
function literals(t: ts.TypeNode): string[] | undefined {
  const parts = ts.isUnionTypeNode(t) ? t.types : [t];
  const out: string[] = [];
  for (const x of parts) if (ts.isLiteralTypeNode(x) && ts.isStringLiteral(x.literal)) out.push(x.literal.text);
  return out.length > 0 ? out.sort() : undefined;
}

/** V of a `Record<string, V>` (also through a local alias), else undefined. */
function recordValue(t: ts.TypeNode): ts.TypeNode | undefined {
  if (!ts.isTypeReferenceNode(t) || !ts.isIdentifier(t.typeName)) return undefined;
  if (t.typeName.text === 'Record' && t.typeArguments?.length === 2) return t.typeArguments[1];
  const d = declaration(t.typeName.text);
  return d && ts.isTypeAliasDeclaration(d) ? recordValue(d.type) : undefined;
}

/** Differences between a type and a schema node, as `path: what` lines. */
function compare(path: string, t: ts.TypeNode, node: SchemaNode): string[] {
  const s = deref(node);
  const out: string[] = [];
  const value = recordValue(t);
  if (s.properties && value) {
    // a map by id (rules: finding id -> severity; the ids are the registry's, test/rules/registry.test.ts)
    for (const [k, sub] of Object.entries(s.properties)) out.push(...compare(`${path}.${k}`, value, sub));
  } else if (s.properties) {
    const m = members(t);
    if (!m) return [`${path}: the schema has fields (${Object.keys(s.properties).join(', ')}), the type is ${t.getText(typesFile)}`];
    for (const k of Object.keys(s.properties)) if (!m.has(k)) out.push(`${path}.${k}: in the schema, not in the type`);
    for (const k of m.keys()) if (!(k in s.properties)) out.push(`${path}.${k}: in the type, not in the schema`);
    for (const [k, sub] of Object.entries(s.properties)) if (m.has(k)) out.push(...compare(`${path}.${k}`, m.get(k)!, sub));
  } else if (s.enum) {
    const want = s.enum.map(String).sort();
    const got = literals(t);
    if (got && JSON.stringify(got) !== JSON.stringify(want)) out.push(`${path}: type ${got.join('|')}, schema ${want.join('|')}`);
  }
  return out;
}

describe('Settings type and the wavegate.yaml schema', () => {
  it('have the same sections, fields and enum values', () => {
    const settings = declaration('Settings')!;
    const diffs = compare('settings', ts.factory.createTypeReferenceNode('Settings'), schema);
    expect(diffs).toEqual([]);
    // the comparison reaches nested fields (smoke.image.pullPolicy's enum, smoke.resources' quantities)
    expect(
      members(members(members(ts.factory.createTypeReferenceNode('Settings'))!.get('smoke')!)!.get('resources')!)!.has('requests'),
    ).toBe(true);
    expect(settings).toBeDefined();
  });

  it('the comparison notices a missing field, an extra field and a different enum', () => {
    const t = ts.factory.createTypeReferenceNode('ArgocdSection');
    expect(compare('argocd', t, { properties: { version: {}, namespace: {}, server: {} } })).toEqual([
      'argocd.server: in the schema, not in the type',
    ]);
    expect(compare('argocd', t, { properties: { version: {} } })).toEqual(['argocd.namespace: in the type, not in the schema']);
    const smoke = members(ts.factory.createTypeReferenceNode('SmokeSection'))!;
    expect(compare('smoke.mode', smoke.get('mode')!, { enum: ['regular', 'hook', 'other'] })).toEqual([
      'smoke.mode: type hook|regular, schema hook|other|regular',
    ]);
  });
});
