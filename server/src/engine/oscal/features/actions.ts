import { compareControlIds } from '../../controls/ids';
import type { ParsedFile } from '../../documents/parse';
import type { Fix, Finding, Range } from '../../types';
import { rangesOverlap } from '../../types';
import type { OscalEnvironment } from '../analyze';
import { appendItemsEdit, freshUuid, oscalNow, replaceValueEdit } from '../edits';
import { controlSources } from '../semantic/controls';
import { isRecord } from '../semantic/walk';
import { analysisOf } from './context';

/**
 * Code actions for a range of an OSCAL file: the fixes of the findings there, "set last-modified to now",
 * and, for an SSP or component definition whose controls are known, implemented requirements for the
 * controls its source selects that it does not cover yet.
 */
export function oscalCodeActions(file: ParsedFile, range: Range, findings: Finding[], env: OscalEnvironment = {}): Fix[] {
  const out: Fix[] = [];
  for (const f of findings) if (f.source === 'oscal' && rangesOverlap(f.range, range)) out.push(...(f.fixes ?? []));
  const start = file.lines.offsetAt(range.start);
  for (const doc of file.documents) {
    if (start < doc.start || start > doc.end) continue;
    const analysis = analysisOf(doc, file.uri, env);
    if (!analysis) continue;
    const { root, rootPath } = analysis;
    const meta = root.content.metadata;
    if (isRecord(meta) && typeof meta['last-modified'] === 'string') {
      const edit = replaceValueEdit(file, doc, [...rootPath, 'metadata', 'last-modified'], oscalNow(env.now?.()));
      if (edit) out.push({ title: 'Set last-modified to now', edits: [edit], kind: 'quickfix' });
    }
    if (env.controls) out.push(...uncoveredControlActions(file, doc, analysis.root.model, root.content, rootPath, env));
  }
  return out;
}

function uncoveredControlActions(
  file: ParsedFile,
  doc: ParsedFile['documents'][number],
  model: string,
  content: Record<string, unknown>,
  rootPath: (string | number)[],
  env: OscalEnvironment,
): Fix[] {
  const out: Fix[] = [];
  const from = { uri: file.uri, backMatter: content['back-matter'] };
  for (const source of controlSources(model, content, rootPath)) {
    if (source.kind === 'import') continue;
    const catalog = env.controls?.(source, from);
    if (!catalog) continue;
    const ownerPath = source.kind === 'import-profile' ? [...rootPath, 'control-implementation'] : source.scope;
    let owner: unknown = { [rootPath[0]]: content };
    for (const s of ownerPath) owner = isRecord(owner) || Array.isArray(owner) ? (owner as Record<string | number, unknown>)[s] : undefined;
    if (!isRecord(owner) || !Array.isArray(owner['implemented-requirements'])) continue;
    const covered = new Set(owner['implemented-requirements'].map((r) => (isRecord(r) ? r['control-id'] : undefined)));
    const missing = [...catalog.controls.values()].filter((c) => c.selected && !c.withdrawn && !covered.has(c.id)).map((c) => c.id).sort(compareControlIds);
    if (missing.length === 0 || missing.length > 2000) continue;
    const items = missing.map((id) => ({ uuid: freshUuid(), 'control-id': id, ...(model === 'component-definition' ? { description: 'TODO' } : {}) }));
    const edit = appendItemsEdit(file, doc, [...ownerPath, 'implemented-requirements'], items);
    if (edit) out.push({ title: `Add implemented requirements for ${missing.length} control${missing.length === 1 ? '' : 's'} not covered yet`, edits: [edit], kind: 'quickfix' });
  }
  return out;
}
