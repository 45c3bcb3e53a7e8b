import { DocumentParser, type ParsedFile } from '../../../server/src/engine/documents/parse';
import { analyzeOscalFile, type OscalEnvironment } from '../../../server/src/engine/oscal/analyze';
import type { Finding, Position } from '../../../server/src/engine/types';

export const U = {
  doc: '0f6a2c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
  party: '11111111-2222-4333-8444-555555555555',
  party2: '11111111-2222-4333-8444-666666666666',
  comp: '22222222-3333-4444-8555-666666666666',
  res: '33333333-4444-4555-8666-777777777777',
  req: '44444444-5555-4666-8777-888888888888',
  ci: '55555555-6666-4777-8888-999999999999',
};

export function parse(text: string, name = 'doc.yaml'): ParsedFile {
  return new DocumentParser().parse(`file:///w/${name}`, text);
}

export function findings(text: string, name = 'doc.yaml', env: OscalEnvironment = {}): Finding[] {
  return analyzeOscalFile(parse(text, name), env).findings;
}

export function codes(text: string, name = 'doc.yaml', env: OscalEnvironment = {}): string[] {
  return findings(text, name, env).map((f) => f.code);
}

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in `text`. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export function minimalCatalog(extra = ''): string {
  return `catalog:
  uuid: ${U.doc}
  metadata:
    title: Test catalog
    last-modified: 2024-01-31T12:00:00Z
    version: "1.0"
    oscal-version: 1.1.2
${extra}`;
}
