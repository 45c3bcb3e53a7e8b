import type { Severity } from '../types';
import type { JsonPath } from './oscal';

export type ResolutionProblemCode =
  | 'oscal.invalid-catalog'
  | 'oscal.invalid-profile'
  | 'oscal.duplicate-id'
  | 'oscal.unresolved-reference'
  | 'oscal.import-cycle'
  | 'oscal.unknown-control'
  | 'oscal.unknown-parameter'
  | 'oscal.remote-fetch'
  | 'oscal.unsupported';

/**
 * Something wrong found while loading a catalog or resolving a profile, located by a path inside the
 * document `uri` so the caller can turn it into a diagnostic with `rangeOfPath`.
 */
export interface ResolutionProblem {
  uri: string;
  path: JsonPath;
  code: ResolutionProblemCode;
  message: string;
  severity?: Severity;
  /** For unresolved imports: the absolute locations that were tried. */
  tried?: string[];
}
