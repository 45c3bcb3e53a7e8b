import type { ParsedFile } from '../../documents/parse';
import { rangeOfPath, type JsonPath } from '../../documents/paths';
import type { Range } from '../../types';
import { displayControlId } from '../../controls/ids';
import { analysisOf } from './context';
import { isRecord } from '../semantic/walk';
import { KIND_OF_LIST } from '../semantic/definitions';
import { appendAll } from '../../arrays';

/** An outline entry, shaped like LSP's DocumentSymbol (the adapter maps `kind` to a SymbolKind). */
export interface OscalSymbol {
  name: string;
  detail?: string;
  kind: 'document' | 'section' | 'group' | 'control' | 'object' | 'requirement';
  range: Range;
  selectionRange: Range;
  children: OscalSymbol[];
}

/** Lists whose items appear in the outline; parts, props and links stay out so that catalogs remain readable. */
const OUTLINED = new Set([
  'groups', 'controls', 'parties', 'roles', 'locations', 'components', 'users', 'inventory-items', 'resources', 'imports',
  'implemented-requirements', 'control-implementations', 'capabilities', 'tasks', 'activities', 'observations', 'risks',
  'findings', 'poam-items', 'results', 'mappings', 'leveraged-authorizations', 'information-types', 'statements', 'by-components',
]);

const MAX_SYMBOLS = 20000;

function labelOf(o: Record<string, unknown>, list: string): { name: string; detail?: string } {
  const title = typeof o.title === 'string' ? o.title : typeof o.name === 'string' ? o.name : undefined;
  if (list === 'controls' && typeof o.id === 'string') return { name: `${displayControlId(o.id)}${title ? ` ${title}` : ''}`, detail: o.id };
  if (typeof o['control-id'] === 'string') return { name: displayControlId(o['control-id']), detail: o['control-id'] };
  if (typeof o['statement-id'] === 'string') return { name: o['statement-id'] };
  if (title) return { name: title, detail: typeof o.id === 'string' ? o.id : undefined };
  if (typeof o.id === 'string') return { name: o.id };
  if (typeof o.href === 'string') return { name: o.href };
  if (typeof o.uuid === 'string') return { name: `${KIND_OF_LIST[list] ?? list} ${o.uuid.slice(0, 8)}` };
  return { name: KIND_OF_LIST[list] ?? list };
}

/** The outline of every OSCAL document in a file: top-level sections, then the items of the outlined lists. */
export function oscalSymbols(file: ParsedFile): OscalSymbol[] {
  const out: OscalSymbol[] = [];
  let count = 0;
  for (const doc of file.documents) {
    const analysis = analysisOf(doc, file.uri);
    if (!analysis) continue;
    const range = (path: JsonPath, part: 'pair' | 'key' = 'pair'): Range => rangeOfPath(file, doc, path, part);
    const walkList = (list: unknown[], path: JsonPath, key: string, depth: number): OscalSymbol[] => {
      const syms: OscalSymbol[] = [];
      list.forEach((item, i) => {
        if (!isRecord(item) || count >= MAX_SYMBOLS || depth > 32) return;
        count++;
        const p = [...path, i];
        const { name, detail } = labelOf(item, key);
        syms.push({
          name,
          detail,
          kind: key === 'controls' ? 'control' : key === 'groups' ? 'group' : key === 'implemented-requirements' ? 'requirement' : 'object',
          range: rangeOfPath(file, doc, p, 'value'),
          selectionRange: rangeOfPath(file, doc, p, 'value'),
          children: childrenOf(item, p, depth + 1),
        });
      });
      return syms;
    };
    const childrenOf = (o: Record<string, unknown>, path: JsonPath, depth: number): OscalSymbol[] => {
      const syms: OscalSymbol[] = [];
      for (const [k, v] of Object.entries(o)) {
        if (Array.isArray(v) && OUTLINED.has(k)) appendAll(syms, walkList(v, [...path, k], k, depth));
        else if (isRecord(v) && depth <= 2 && ['system-implementation', 'control-implementation', 'back-matter', 'modify', 'local-definitions', 'assessment-subjects', 'reviewed-controls'].includes(k)) {
          syms.push({ name: k, kind: 'section', range: range([...path, k]), selectionRange: range([...path, k], 'key'), children: childrenOf(v, [...path, k], depth + 1) });
        }
      }
      return syms;
    };
    const { root, rootPath } = analysis;
    const sections: OscalSymbol[] = [];
    for (const [k, v] of Object.entries(root.content)) {
      if (typeof v !== 'object' || v === null) continue;
      const p = [...rootPath, k];
      const children = Array.isArray(v) ? (OUTLINED.has(k) ? walkList(v, p, k, 1) : []) : childrenOf(v as Record<string, unknown>, p, 1);
      sections.push({ name: k, kind: 'section', range: range(p), selectionRange: range(p, 'key'), children });
    }
    const title = isRecord(root.content.metadata) && typeof root.content.metadata.title === 'string' ? root.content.metadata.title : undefined;
    out.push({ name: root.model, detail: title, kind: 'document', range: range(rootPath), selectionRange: range(rootPath, 'key'), children: sections });
  }
  return out;
}
