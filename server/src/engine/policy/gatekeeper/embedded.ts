/** Rego sources embedded in a ConstraintTemplate, with offset maps into the YAML file. */
import { isScalar } from 'yaml';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { resolvePath, type JsonPath } from '../../documents/paths';
import type { RegoVersion } from '../rego/parser';
import type { RegoSource } from '../rego/module';
import { scalarMap } from '../../documents/scalarMap';
import { isRecord } from './common';

export interface EmbeddedRego {
  source: RegoSource;
  /** Path of the scalar inside the document. */
  path: JsonPath;
  /** `main` is a target's policy; `lib` one of its libraries. */
  role: 'main' | 'lib';
  version: RegoVersion;
}

function label(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** A string scalar at `path` as a Rego source, or undefined when there is none. */
export function embeddedSource(file: ParsedFile, doc: ParsedDocument, path: JsonPath): RegoSource | undefined {
  const target = resolvePath(doc, path);
  const node = target.node;
  if (!target.exact || !isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const map = scalarMap(file.text, doc.base + node.range[0], doc.base + node.range[1], node.value);
  return { uri: file.uri, text: node.value, toFile: map.toFile, fromFile: map.fromFile, label: label(path) };
}

/**
 * Every Rego text of a template: `spec.targets[].rego` and `.libs[]` (Rego v0 unless the template opts
 * in), and `spec.targets[].code[]` entries of engine `Rego` (`source.rego`, `source.libs`, `source.version`).
 */
export function templateRegoSources(file: ParsedFile, doc: ParsedDocument, objectPath: JsonPath, template: Record<string, unknown>): EmbeddedRego[] {
  const out: EmbeddedRego[] = [];
  const spec = template.spec;
  if (!isRecord(spec) || !Array.isArray(spec.targets)) return out;
  const add = (path: JsonPath, role: 'main' | 'lib', version: RegoVersion): void => {
    const source = embeddedSource(file, doc, [...objectPath, ...path]);
    if (source) out.push({ source, path, role, version });
  };
  spec.targets.forEach((t, i) => {
    if (!isRecord(t)) return;
    if (typeof t.rego === 'string') add(['spec', 'targets', i, 'rego'], 'main', 'v0');
    if (Array.isArray(t.libs)) t.libs.forEach((_, j) => add(['spec', 'targets', i, 'libs', j], 'lib', 'v0'));
    if (Array.isArray(t.code)) {
      t.code.forEach((c, k) => {
        if (!isRecord(c) || c.engine !== 'Rego' || !isRecord(c.source)) return;
        const version: RegoVersion = c.source.version === 'v1' ? 'v1' : 'v0';
        if (typeof c.source.rego === 'string') add(['spec', 'targets', i, 'code', k, 'source', 'rego'], 'main', version);
        if (Array.isArray(c.source.libs)) c.source.libs.forEach((_, j) => add(['spec', 'targets', i, 'code', k, 'source', 'libs', j], 'lib', version));
      });
    }
  });
  return out;
}
