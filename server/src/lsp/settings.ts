import type { ControlLensConfig } from '../engine/config/config';

/** VS Code's `controlLens.*` settings as the engine's configuration keys. */
export function settingsToConfig(raw: unknown): Partial<ControlLensConfig> {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: Partial<ControlLensConfig> = {};
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  if (typeof s.baseline === 'string' && s.baseline) out.baseline = s.baseline;
  const catalogs = list(s.catalogs);
  if (catalogs?.length) out.catalogs = catalogs;
  if (s.podSecurity === 'baseline' || s.podSecurity === 'restricted') out.podSecurity = s.podSecurity;
  const include = list(s.include);
  if (include?.length) out.include = include;
  const exclude = list(s.exclude);
  if (exclude?.length) out.exclude = exclude;
  if (s.severity && typeof s.severity === 'object' && Object.keys(s.severity).length) out.severity = s.severity as ControlLensConfig['severity'];
  if (typeof s.maxFileSize === 'number' && s.maxFileSize > 0) out.maxFileSize = s.maxFileSize;
  const inlay = (s.inlayHints as { enabled?: unknown } | undefined)?.enabled;
  if (typeof inlay === 'boolean') out.inlayHints = inlay;
  if (typeof s.allowRemoteCatalogs === 'boolean') out.allowRemoteCatalogs = s.allowRemoteCatalogs;
  if (typeof s.oscalSchemaPath === 'string' && s.oscalSchemaPath) out.oscalSchemaPath = s.oscalSchemaPath;
  return out;
}

/** Initialization options the client sends. */
export interface InitializationOptions {
  trusted?: boolean;
  settings?: unknown;
  /** Globs from VS Code's files.exclude, honoured like .gitignore. */
  filesExclude?: string[];
  /** Where remote catalogs are cached (the extension's global storage). */
  cacheDir?: string;
}
