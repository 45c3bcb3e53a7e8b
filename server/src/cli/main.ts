import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEngine, toPath, type Engine } from '../engine';
import { applyEdits } from '../engine/documents/applyEdits';
import { encodeLike } from '../engine/documents/decode';
import type { ControlLensConfig } from '../engine/config/config';
import { SEVERITY_ORDER, type TextEdit } from '../engine/types';
import { parseCli, UsageError, USAGE, type CliOptions } from './args';
import { jsonReportChunks, relativeFile, toTextReport, type FileFindings } from './report';
import { runCoverageCommand } from './coverageCommand';
import { runTestCommand } from './testCommand';
import { toSarif } from './sarif';

declare const CONTROL_LENS_VERSION: string | undefined;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
};

export class ConfigError extends Error {}

const RELEASE_TREES_ABOVE = 256 * 1024;

/** Builds an engine for the command: flags win over the config file, which wins over defaults. */
export async function loadWorkspace(options: CliOptions, io: CliIo): Promise<{ engine: Engine; files: string[] }> {
  const settings: Partial<ControlLensConfig> = {};
  if (options.podSecurity) settings.podSecurity = options.podSecurity;
  if (options.catalogs.length) settings.catalogs = options.catalogs;
  if (options.baseline) settings.baseline = options.baseline;
  const engine = createEngine({ settings, trusted: true });
  const roots = options.paths.map((p) => resolve(io.cwd, p));
  for (const r of roots) if (!existsSync(r)) throw new UsageError(`no such file or folder: ${relativeFile(r, io.cwd)}`);
  if (options.config) {
    const configPath = resolve(io.cwd, options.config);
    if (!existsSync(configPath)) throw new UsageError(`config file not found: ${options.config}`);
    const loaded = await engine.loadFile(configPath);
    if (!loaded) throw new ConfigError(`config file could not be read: ${options.config}`);
  }
  // A large file's trees (NIST's catalogs: hundreds of megabytes) are let go as soon as it is indexed and read
  // again only if its analysis needs them, which for a catalog with no findings it does not (corpus check:
  // peak memory 1.68 -> 1.2 GB, same findings). Small files keep theirs: most of them have findings to place.
  const uris = await engine.indexFolders(roots, undefined, undefined, { releaseSyntax: (entry) => entry.file.text.length > RELEASE_TREES_ABOVE });
  for (const uri of engine.workspace.uris()) {
    const path = toPath(uri);
    if (path && /\.control-lens\.ya?ml$/.test(path)) {
      const problem = engine.diagnostics(uri).find((f) => f.source === 'config' || f.code === 'syntax');
      if (problem && problem.severity === 'error') {
        throw new ConfigError(`${relativeFile(path, io.cwd)}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.message}`);
      }
    }
  }
  return { engine, files: uris.filter((u) => !/\.control-lens\.ya?ml$/.test(u)) };
}

function collect(engine: Engine, uris: string[], io: CliIo): FileFindings[] {
  return uris.map((uri) => {
    const findings = engine.activeDiagnostics(uri).slice().sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    // The report needs only the findings now; the trees come back (re-read) if another file's analysis asks.
    engine.releaseSyntax(uri);
    return { file: relativeFile(toPath(uri) ?? uri, io.cwd), findings };
  });
}

function failed(results: FileFindings[], failOn: CliOptions['failOn']): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_ORDER[failOn];
  return results.some((r) => r.findings.some((f) => SEVERITY_ORDER[f.severity] >= threshold));
}

/** Applies every safe fix, file by file, until no safe fix is left (bounded), writing each changed file atomically. */
function applySafeFixes(engine: Engine, uris: string[]): number {
  let changedFiles = 0;
  for (const uri of uris) {
    const path = toPath(uri);
    const entry = engine.workspace.get(uri);
    if (!path || !entry || entry.file.skipped) continue;
    const original = entry.file.text;
    let text = original;
    for (let pass = 0; pass < 5; pass++) {
      const edits: TextEdit[] = engine.fixAll(uri);
      if (!edits.length) break;
      const result = applyEdits(text, edits);
      if (result.text === text) break;
      text = result.text;
      engine.setText(uri, text, pass + 1);
    }
    if (text !== original && writeAtomically(path, original, text)) changedFiles++;
  }
  return changedFiles;
}

/**
 * Replaces the file by a rename, so no reader ever sees half of it, in its original encoding and permissions.
 * Leaves the file alone when that is impossible or when it changed on disk since it was read.
 */
function writeAtomically(path: string, expectedText: string, text: string): boolean {
  let bytes: Uint8Array | undefined;
  let mode: number;
  try {
    bytes = encodeLike(readFileSync(path), expectedText, text);
    mode = statSync(path).mode & 0o7777;
  } catch {
    return false;
  }
  if (!bytes) return false;
  const tmp = `${path}.control-lens-${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const parsed = parseCli(argv);
    if (parsed.kind === 'help') {
      io.stdout(USAGE + '\n');
      return 0;
    }
    if (parsed.kind === 'version') {
      io.stdout(`${typeof CONTROL_LENS_VERSION === 'string' ? CONTROL_LENS_VERSION : 'dev'}\n`);
      return 0;
    }
    const options = parsed.options;
    if (options.command === 'test') return await runTestCommand(options, io);
    const { engine, files } = await loadWorkspace(options, io);
    if (options.command === 'coverage') return await runCoverageCommand(engine, files, options, io);
    if (options.fix) {
      const changed = applySafeFixes(engine, files);
      io.stderr(`control-lens: fixed ${changed} file${changed === 1 ? '' : 's'}\n`);
    }
    const results = collect(engine, files, io);
    if (options.format === 'json') for (const chunk of jsonReportChunks(results)) io.stdout(chunk);
    else if (options.format === 'sarif') io.stdout(JSON.stringify(toSarif(results, (code) => engine.ruleHelp(code)), null, 2) + '\n');
    else io.stdout(toTextReport(results));
    return failed(results, options.failOn) ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr(`control-lens: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Runs the command with the process's arguments and sets its exit code. */
export function cliMain(): void {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`control-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) cliMain();
