import type { JsonPath } from '../documents/paths';
import type { Severity } from '../types';

/** A suggested mend, turned into format-preserving text edits when the finding is reported. */
export type FixHint =
  | { kind: 'replace-value'; title: string; value: string; preferred?: boolean; safe?: boolean }
  | { kind: 'fresh-uuid'; title: string }
  | { kind: 'add-field'; title: string; field: string }
  | { kind: 'remove-field'; title: string }
  /** Appends implemented requirements (with fresh uuids) for controls to the list at the issue's path. */
  | { kind: 'add-requirements'; title: string; controlIds: string[]; withDescription: boolean };

/** A problem in an OSCAL document, located by path in the document's value. */
export interface OscalIssue {
  code: string;
  severity: Severity;
  path: JsonPath;
  part: 'key' | 'value';
  message: string;
  controls?: string[];
  fixes?: FixHint[];
}
