import type { ParsedFile } from '../../documents/parse';
import type { Fix, Finding, Range } from '../../types';
import { rangesOverlap } from '../../types';
import type { OscalEnvironment } from '../analyze';
import { oscalNow, replaceValueEdit } from '../edits';
import { isRecord } from '../semantic/walk';
import { analysisOf } from './context';
import { appendAll } from '../../arrays';

/**
 * Code actions for a range of an OSCAL file: the fixes of the findings there (among them implemented
 * requirements for uncovered baseline controls) and "set last-modified to now", which no finding carries.
 */
export function oscalCodeActions(file: ParsedFile, range: Range, findings: Finding[], env: OscalEnvironment = {}): Fix[] {
  const out: Fix[] = [];
  for (const f of findings) if (f.source === 'oscal' && rangesOverlap(f.range, range)) appendAll(out, f.fixes ?? []);
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
  }
  return out;
}
