/**
 * Generates server/src/engine/oscal/model/generated.ts from the official OSCAL JSON schemas (the
 * "complete" schema of each version). Only structural facts are kept: field names, required fields,
 * types, cardinality, formats and allowed values; titles and descriptions are dropped.
 *
 * Usage: node --import tsx scripts/oscal-generate-model.ts [SCHEMAS_DIR]
 *   SCHEMAS_DIR holds one folder per OSCAL version (default ../shared/corpus/oscal/schemas).
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelData, ObjectType, Primitive, TypeExpr } from '../server/src/engine/oscal/model/types';

type Schema = Record<string, unknown>;

const DATATYPES: Record<string, Primitive> = {
  Base64Datatype: 'base64',
  BooleanDatatype: 'boolean',
  DateDatatype: 'date',
  DateTimeWithTimezoneDatatype: 'date-time',
  DecimalDatatype: 'decimal',
  EmailAddressDatatype: 'email',
  IntegerDatatype: 'integer',
  MarkupLineDatatype: 'line',
  MarkupMultilineDatatype: 'text',
  NonNegativeIntegerDatatype: 'non-negative-integer',
  PositiveIntegerDatatype: 'positive-integer',
  StringDatatype: 'string',
  TokenDatatype: 'token',
  URIDatatype: 'uri',
  URIReferenceDatatype: 'uri-reference',
  UUIDDatatype: 'uuid',
  'json-schema-directive': 'uri-reference',
};

const IGNORED = new Set(['title', 'description', '$id', '$comment']);

function shortName(def: string): string {
  return def.replace(/^oscal-complete-oscal-/, '');
}

function convertVersion(schema: Schema): { roots: Record<string, string>; named: Map<string, TypeExpr> } {
  const definitions = schema.definitions as Record<string, Schema>;
  const named = new Map<string, TypeExpr>();

  // 1.1.x schemas refer to definitions by their `$id` (`#assembly_oscal-catalog_catalog`), 1.2.x by path.
  const byId = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    if (typeof def.$id === 'string') byId.set(def.$id, name);
  }
  const refName = (ref: string): string => byId.get(ref) ?? ref.replace(/^#\/definitions\//, '');

  function convertRef(ref: string): TypeExpr {
    const name = refName(ref);
    if (DATATYPES[name]) return DATATYPES[name];
    const def = definitions[name];
    if (!def) throw new Error(`unknown $ref ${ref}`);
    // Definitions that are not objects (aliases of datatypes, enums) are inlined where they are used.
    if (def.type !== 'object') return convert(def);
    const short = shortName(name);
    if (!named.has(short)) {
      named.set(short, 'string'); // placeholder against recursion
      named.set(short, convert(def));
    }
    return `@${short}`;
  }

  function enumOf(alts: Schema[], open: boolean): TypeExpr | undefined {
    if (alts.length !== 2) return undefined;
    const e = alts.find((a) => Array.isArray(a.enum));
    const b = alts.find((a) => typeof a.$ref === 'string');
    if (!e || !b) return undefined;
    const base = convert(b);
    if (typeof base !== 'string' || base.startsWith('@')) throw new Error('enum over a non-primitive');
    const out: TypeExpr = { k: 'e', b: base as Primitive, v: e.enum as string[] };
    if (open) out.open = true;
    return out;
  }

  function convertObject(node: Schema): ObjectType {
    const props: Record<string, TypeExpr> = {};
    const addProps = (p: Record<string, Schema> | undefined): string[] => {
      const names: string[] = [];
      for (const [k, v] of Object.entries(p ?? {})) {
        const t = convert(v);
        if (props[k] !== undefined && JSON.stringify(props[k]) !== JSON.stringify(t)) throw new Error(`field ${k} differs between forms`);
        props[k] = t;
        names.push(k);
      }
      return names;
    };
    if (node.additionalProperties !== false && node.additionalProperties !== undefined) throw new Error('open object');
    const own = addProps(node.properties as Record<string, Schema> | undefined);
    const out: ObjectType = { k: 'o', p: props };
    if (Array.isArray(node.required) && node.required.length) out.r = [...(node.required as string[])].sort();
    if (Array.isArray(node.anyOf)) {
      out.alt = (node.anyOf as Schema[]).map((a) => {
        const names = addProps(a.properties as Record<string, Schema> | undefined);
        return { r: [...((a.required as string[]) ?? [])].sort(), p: [...own, ...names] };
      });
      const all = Object.keys(props);
      for (const a of out.alt) if (a.p && a.p.length === all.length) delete a.p;
    } else if (node.additionalProperties === undefined && !node.properties) {
      throw new Error('object without fields');
    }
    return out;
  }

  function convert(node: Schema): TypeExpr {
    const keys = Object.keys(node).filter((k) => !IGNORED.has(k));
    if (typeof node.$ref === 'string') {
      if (keys.length !== 1) throw new Error(`$ref with siblings: ${keys}`);
      return convertRef(node.$ref);
    }
    if (Array.isArray(node.allOf)) {
      const e = enumOf(node.allOf as Schema[], false);
      if (e) return e;
      throw new Error(`unexpected allOf ${JSON.stringify(node).slice(0, 200)}`);
    }
    if (node.type === undefined && Array.isArray(node.anyOf)) {
      const alts = node.anyOf as Schema[];
      const e = enumOf(alts, true);
      if (e) return e;
      const arr = alts.find((a) => a.type === 'array');
      const one = alts.find((a) => a.type !== 'array');
      if (alts.length === 2 && arr && one) {
        const i = convert(one);
        if (JSON.stringify(convert(arr.items as Schema)) !== JSON.stringify(i)) throw new Error('one-or-many of different items');
        return { k: 'm', i, ...(typeof arr.minItems === 'number' ? { min: arr.minItems } : {}) };
      }
      throw new Error(`unexpected anyOf ${JSON.stringify(node).slice(0, 200)}`);
    }
    switch (node.type) {
      case 'object':
        if (!node.properties && !node.anyOf && node.additionalProperties === false) return 'any-object';
        return convertObject(node);
      case 'array': {
        const out: TypeExpr = { k: 'a', i: convert(node.items as Schema) };
        if (typeof node.minItems === 'number') out.min = node.minItems;
        return out;
      }
      case 'string':
        if (node.pattern === '^[^\n]+$') return 'line';
        if (node.pattern === undefined && node.format === undefined) return 'text';
        throw new Error(`unexpected string ${JSON.stringify(node)}`);
      case 'boolean':
        return 'boolean';
      case 'integer':
        return 'integer';
      default:
        throw new Error(`unexpected node ${JSON.stringify(node).slice(0, 300)}`);
    }
  }

  const roots: Record<string, string> = {};
  for (const alt of schema.oneOf as Schema[]) {
    const props = alt.properties as Record<string, Schema>;
    for (const [k, v] of Object.entries(props)) {
      if (k === '$schema') continue;
      const t = convert(v);
      if (typeof t !== 'string') throw new Error('root is not a named definition');
      roots[k] = t;
    }
  }
  return { roots, named };
}

function main(): void {
  const dir = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'shared', 'corpus', 'oscal', 'schemas'));
  const versions = readdirSync(dir).filter((v) => existsSync(join(dir, v, 'oscal_complete_schema.json'))).sort();
  const data: ModelData = { versions: {}, defs: [] };
  const index = new Map<string, number>();
  for (const v of versions) {
    const schema = JSON.parse(readFileSync(join(dir, v, 'oscal_complete_schema.json'), 'utf8')) as Schema;
    const { roots, named } = convertVersion(schema);
    const names: Record<string, number> = {};
    for (const [name, t] of [...named.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const key = JSON.stringify(t);
      let i = index.get(key);
      if (i === undefined) {
        i = data.defs.length;
        data.defs.push(t);
        index.set(key, i);
      }
      names[name] = i;
    }
    data.versions[v] = { roots, names };
  }
  const out = resolve(__dirname, '..', 'server', 'src', 'engine', 'oscal', 'model', 'generated.ts');
  const body = [
    '// Generated by scripts/oscal-generate-model.ts from the official OSCAL JSON schemas',
    `// (versions ${versions.join(', ')}). Structural facts only. Do not edit by hand.`,
    "import type { ModelData } from './types';",
    '',
    `export const MODEL_DATA: ModelData = ${JSON.stringify(data)};`,
    '',
  ].join('\n');
  writeFileSync(out, body);
  console.log(`wrote ${out}: ${versions.length} versions, ${data.defs.length} definitions, ${body.length} bytes`);
}

main();
