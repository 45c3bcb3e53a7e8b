import { parseControlId } from '../controls/ids';
import type { ParsedFile } from '../documents/parse';
import { rangeOfPath, type JsonPath } from '../documents/paths';
import type { Finding, Severity } from '../types';
import type { ControlLensConfig } from './config';

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];

type FieldCheck = (value: unknown) => string | undefined;

const stringList: FieldCheck = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'must be a list of strings';

const FIELDS: Record<keyof ControlLensConfig, FieldCheck> = {
  catalogs: stringList,
  include: stringList,
  exclude: stringList,
  baseline: (v) => (typeof v === 'string' && v.trim() ? undefined : 'must be a baseline name or a profile path'),
  podSecurity: (v) => (v === 'baseline' || v === 'restricted' ? undefined : 'must be `baseline` or `restricted`'),
  severity: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'must map finding codes to severities'),
  maxFileSize: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? undefined : 'must be a positive number of bytes'),
  inlayHints: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  allowRemoteCatalogs: (v) => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  oscalSchemaPath: (v) => (typeof v === 'string' ? undefined : 'must be a path'),
};

export interface ConfigFileResult {
  config: Partial<ControlLensConfig>;
  problems: Finding[];
}

/** Reads `.control-lens.yaml`: every key it knows is checked; problems are reported in the file itself. */
export function readConfigFile(file: ParsedFile): ConfigFileResult {
  const problems: Finding[] = [...file.problems];
  const config: Partial<ControlLensConfig> = {};
  const doc = file.documents[0];
  if (!doc || doc.value === undefined || doc.value === null) return { config, problems };
  const report = (path: JsonPath, message: string, part: 'key' | 'value' = 'value', severity: Severity = 'error') =>
    problems.push({ range: rangeOfPath(file, doc, path, part), severity, code: 'config', message, controls: [], source: 'config' });
  if (typeof doc.value !== 'object' || Array.isArray(doc.value)) {
    report([], 'The configuration must be a map of settings (catalogs, baseline, podSecurity, include, exclude, severity, ...).');
    return { config, problems };
  }
  for (const [key, value] of Object.entries(doc.value as Record<string, unknown>)) {
    const check = FIELDS[key as keyof ControlLensConfig];
    if (!check) {
      report([key], `Unknown setting \`${key}\`; known settings are ${Object.keys(FIELDS).map((k) => `\`${k}\``).join(', ')}.`, 'key', 'warning');
      continue;
    }
    const problem = check(value);
    if (problem) {
      report([key], `\`${key}\` ${problem}.`);
      continue;
    }
    if (key === 'severity') {
      const sev: Record<string, Severity | 'off'> = {};
      for (const [code, s] of Object.entries(value as Record<string, unknown>)) {
        if (typeof s !== 'string' || !SEVERITIES.includes(s)) {
          report([key, code], `Severity of \`${code}\` must be one of ${SEVERITIES.join(', ')}.`);
        } else sev[code] = s as Severity | 'off';
      }
      config.severity = sev;
    } else if (key === 'baseline' && typeof value === 'string' && parseControlId(value)) {
      report([key], '`baseline` names a profile, not a control.');
    } else {
      (config as Record<string, unknown>)[key] = value;
    }
  }
  return { config, problems };
}
