import type { Engine } from '../engine';
import type { CliOptions } from './args';
import type { CliIo } from './main';

export async function runCoverageCommand(_engine: Engine, _files: string[], _options: CliOptions, io: CliIo): Promise<number> {
  io.stderr('control-lens: coverage is being built\n');
  return 2;
}
