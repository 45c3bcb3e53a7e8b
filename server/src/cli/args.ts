import { parseArgs } from 'node:util';
import type { PodSecurityLevel } from '../engine/config/config';

export type Command = 'check' | 'coverage' | 'test';
export type OutputFormat = 'text' | 'json' | 'sarif' | 'oscal' | 'markdown';
export type FailOn = 'error' | 'warning' | 'never';

export interface CliOptions {
  command: Command;
  paths: string[];
  format: OutputFormat;
  config?: string;
  podSecurity?: PodSecurityLevel;
  catalogs: string[];
  baseline?: string;
  failOn: FailOn;
  fix: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: control-lens <command> [PATH...] [options]

Commands:
  check [PATH...]      analyse files and folders (default .), honouring .gitignore and the config file
  coverage [PATH...]   control coverage for a baseline
  test [PATH...]       run Kyverno CLI test files (kyverno-test.yaml) with the built-in Kyverno engine

Options:
  --format FORMAT          text (default), json, sarif; coverage also: oscal, markdown
  --config FILE            configuration file (default: .control-lens.yaml in the first folder)
  --pod-security LEVEL     baseline or restricted
  --catalog PATH           an OSCAL catalog or profile to resolve controls against (repeatable)
  --baseline PROFILE       the baseline for coverage (NIST_SP-800-53_rev5_LOW|MODERATE|HIGH|PRIVACY or a profile path)
  --fail-on LEVEL          error (default), warning or never
  --fix                    check: apply every safe fix, writing each changed file atomically
  -h, --help               show this help
  -v, --version            show the version

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it (or failed tests); 2 usage or configuration error.`;

const FORMATS: Record<Command, OutputFormat[]> = {
  check: ['text', 'json', 'sarif'],
  coverage: ['text', 'json', 'sarif', 'oscal', 'markdown'],
  test: ['text', 'json'],
};

export type ParsedCli = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: CliOptions };

export function parseCli(argv: string[]): ParsedCli {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        config: { type: 'string' },
        'pod-security': { type: 'string' },
        catalog: { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'fail-on': { type: 'string' },
        fix: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const v = parsed.values as Record<string, unknown>;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  const [command, ...paths] = parsed.positionals;
  if (!command) return { kind: 'help' };
  if (command !== 'check' && command !== 'coverage' && command !== 'test') {
    throw new UsageError(`unknown command "${command}" (expected check, coverage or test)`);
  }
  const format = (v.format as string | undefined) ?? 'text';
  if (!(FORMATS[command] as string[]).includes(format)) {
    throw new UsageError(`--format ${format} is not available for ${command} (use ${FORMATS[command].join(', ')})`);
  }
  const podSecurity = v['pod-security'] as string | undefined;
  if (podSecurity !== undefined && podSecurity !== 'baseline' && podSecurity !== 'restricted') {
    throw new UsageError(`--pod-security must be baseline or restricted, not "${podSecurity}"`);
  }
  const failOn = (v['fail-on'] as string | undefined) ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') {
    throw new UsageError(`--fail-on must be error, warning or never, not "${failOn}"`);
  }
  if (v.fix && command !== 'check') throw new UsageError('--fix goes with check');
  return {
    kind: 'run',
    options: {
      command,
      paths: paths.length ? paths : ['.'],
      format: format as OutputFormat,
      config: v.config as string | undefined,
      podSecurity: podSecurity as PodSecurityLevel | undefined,
      catalogs: (v.catalog as string[] | undefined) ?? [],
      baseline: v.baseline as string | undefined,
      failOn,
      fix: Boolean(v.fix),
    },
  };
}
