/**
 * The slice of the OSCAL catalog and profile models that control lookup and profile resolution read.
 * Values come from untrusted files, so every reader here checks shapes instead of trusting these types.
 */

export type JsonPath = (string | number)[];

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
  [key: string]: unknown;
}

export interface OscalLink {
  href: string;
  rel?: string;
  [key: string]: unknown;
}

export interface OscalPart {
  id?: string;
  name: string;
  ns?: string;
  class?: string;
  title?: string;
  props?: OscalProp[];
  prose?: string;
  parts?: OscalPart[];
  links?: OscalLink[];
  [key: string]: unknown;
}

export interface OscalSelect {
  'how-many'?: 'one' | 'one-or-more' | string;
  choice?: string[];
}

export interface OscalParam {
  id: string;
  class?: string;
  label?: string;
  usage?: string;
  values?: string[];
  select?: OscalSelect;
  props?: OscalProp[];
  links?: OscalLink[];
  guidelines?: { prose: string }[];
  constraints?: unknown[];
  [key: string]: unknown;
}

export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  links?: OscalLink[];
  parts?: OscalPart[];
  controls?: OscalControl[];
  [key: string]: unknown;
}

export interface OscalGroup {
  id?: string;
  class?: string;
  title: string;
  params?: OscalParam[];
  props?: OscalProp[];
  parts?: OscalPart[];
  groups?: OscalGroup[];
  controls?: OscalControl[];
  [key: string]: unknown;
}

export interface OscalResource {
  uuid: string;
  title?: string;
  rlinks?: { href: string; 'media-type'?: string }[];
  [key: string]: unknown;
}

export interface OscalBackMatter {
  resources?: OscalResource[];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The value of the first prop with this name (and class, when given). */
export function propValue(props: unknown, name: string, cls?: string): string | undefined {
  for (const p of asArray(props)) {
    if (!isRecord(p) || p.name !== name) continue;
    if (cls !== undefined && p.class !== cls) continue;
    if (typeof p.value === 'string') return p.value;
  }
  return undefined;
}

/** OSCAL marks withdrawn controls with a `status` prop (`withdrawn` in rev5, `Withdrawn` in rev4). */
export function isWithdrawn(control: { props?: unknown }): boolean {
  const status = propValue(control.props, 'status');
  return status !== undefined && status.toLowerCase() === 'withdrawn';
}
