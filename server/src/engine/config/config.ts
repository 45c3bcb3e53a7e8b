import type { Severity } from '../types';

export type PodSecurityLevel = 'baseline' | 'restricted';

/** Everything a user can set, in a `.control-lens.yaml` at a workspace root or as `controlLens.*` settings. */
export interface ControlLensConfig {
  /** Catalogs and profiles in play besides the workspace's own: paths (relative to the root) or https URLs. */
  catalogs: string[];
  /** The baseline coverage is computed for: a built-in name (NIST LOW/MODERATE/HIGH/PRIVACY) or a profile path/URL. */
  baseline: string;
  podSecurity: PodSecurityLevel;
  /** Globs of files to analyse (relative to the root); empty means every YAML, JSON and Rego file. */
  include: string[];
  exclude: string[];
  /** Per finding code (or prefix ending in `*`): a new severity, or `off`. */
  severity: Record<string, Severity | 'off'>;
  /** Files larger than this (bytes) are skipped with one information diagnostic. */
  maxFileSize: number;
  inlayHints: boolean;
  /** Consent to fetch catalogs and profiles over https. Never used in an untrusted workspace. */
  allowRemoteCatalogs: boolean;
  /** Path of the official NIST OSCAL JSON schemas, for exact schema conformance. */
  oscalSchemaPath: string;
}

export const DEFAULT_CONFIG: ControlLensConfig = {
  catalogs: [],
  baseline: 'NIST_SP-800-53_rev5_MODERATE',
  podSecurity: 'restricted',
  include: [],
  exclude: [],
  severity: {},
  maxFileSize: 10 * 1024 * 1024,
  inlayHints: true,
  allowRemoteCatalogs: false,
  oscalSchemaPath: '',
};

export const CONFIG_FILE_NAMES = ['.control-lens.yaml', '.control-lens.yml'];

/** Later layers win key by key; undefined values do not override. */
export function mergeConfig(...layers: Partial<ControlLensConfig>[]): ControlLensConfig {
  const out: ControlLensConfig = { ...DEFAULT_CONFIG, severity: {} };
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer) as [keyof ControlLensConfig, unknown][]) {
      if (v === undefined) continue;
      if (k === 'severity') out.severity = { ...out.severity, ...(v as ControlLensConfig['severity']) };
      else (out as unknown as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}

/** The configured severity for a finding code: an exact code wins over the longest matching `prefix*`. */
export function severityOverride(config: ControlLensConfig, code: string): Severity | 'off' | undefined {
  const exact = config.severity[code];
  if (exact) return exact;
  let best: { len: number; value: Severity | 'off' } | undefined;
  for (const [pattern, value] of Object.entries(config.severity)) {
    if (!pattern.endsWith('*')) continue;
    const prefix = pattern.slice(0, -1);
    if (code.startsWith(prefix) && (!best || prefix.length > best.len)) best = { len: prefix.length, value };
  }
  return best?.value;
}
