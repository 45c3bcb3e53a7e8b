/** The engine's public face: build an Engine with every analyser the product has. */
import type { ControlDirectory, FileAnalyzer } from './analysis';
import type { ControlLensConfig } from './config/config';
import { familyOnlyDirectory } from './controls/builtinDirectory';
import { Engine } from './engine';
import { controlAnnotationsAnalyzer } from './mapping/controlsAnalyzer';
import type { FileSystemHost } from './workspace/fileSystem';

export const ALL_ANALYZERS: FileAnalyzer[] = [controlAnnotationsAnalyzer];

export interface CreateEngineOptions {
  settings?: Partial<ControlLensConfig>;
  trusted?: boolean;
  fs?: FileSystemHost;
  controls?: ControlDirectory;
}

export function createEngine(options: CreateEngineOptions = {}): Engine {
  return new Engine({
    analyzers: ALL_ANALYZERS,
    controls: options.controls ?? familyOnlyDirectory,
    settings: options.settings,
    trusted: options.trusted,
    fs: options.fs,
  });
}

export { Engine, toPath, toUri } from './engine';
export type { Finding, Range, Position, Severity } from './types';
