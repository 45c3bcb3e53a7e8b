import type * as Sarif from 'sarif';
import { displayControlId } from '../engine/controls/ids';
import type { Severity } from '../engine/types';
import type { FileFindings } from './report';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

import type { RuleHelp } from '../engine/analysis';

/** Rule metadata by finding code, from whichever analysers describe their rules. */
export type RuleHelpLookup = (code: string) => RuleHelp | undefined;

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per finding code, with its help and its controls as tags
 * and properties; SARIF's regions are one-based.
 */
export function toSarif(results: FileFindings[], ruleHelp: RuleHelpLookup = () => undefined): Sarif.Log {
  const rules = new Map<string, Sarif.ReportingDescriptor>();
  const sarifResults: Sarif.Result[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      if (!rules.has(f.code)) {
        const help = ruleHelp(f.code);
        const controls = help?.controls ?? f.controls;
        rules.set(f.code, {
          id: f.code,
          name: f.code.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
          shortDescription: { text: help?.title ?? f.code },
          ...(help?.help ? { help: { text: help.help, markdown: help.help } } : {}),
          defaultConfiguration: { level: LEVEL[f.severity] },
          properties: {
            tags: ['compliance', f.source, ...controls.map((c) => `nist-800-53/${displayControlId(c)}`)],
            controls: controls.map(displayControlId),
            ...(help?.references?.length ? { references: help.references } : {}),
          },
        });
      }
      sarifResults.push({
        ruleId: f.code,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: r.file, uriBaseId: '%SRCROOT%' },
              region: {
                startLine: f.range.start.line + 1,
                startColumn: f.range.start.character + 1,
                endLine: f.range.end.line + 1,
                endColumn: f.range.end.character + 1,
              },
            },
          },
        ],
        properties: {
          controls: f.controls.map(displayControlId),
          ...(f.resource ? { resource: f.resource } : {}),
        },
      });
    }
  }
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'control-lens', informationUri: 'https://github.com/control-lens/control-lens', rules: [...rules.values()] } },
        results: sarifResults,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
