/** The engine's public face: build an Engine with every analyser the product has. */
import type { ControlDirectory, FileAnalyzer } from './analysis';
import type { ControlLensConfig } from './config/config';
import { Engine } from './engine';
import { catalogResolutionAnalyzer } from './controls/resolutionAnalyzer';
import { kubernetesAnalyzer } from './kubernetes/analyzer';
import { controlAnnotationsAnalyzer } from './mapping/controlsAnalyzer';
import { oscalAnalyzer } from './oscal/analyzer';
import { gatekeeperAnalyzer } from './policy/gatekeeper/analyzer';
import { kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer } from './policy/kyverno/analyzer';
import { regoAnalyzer } from './policy/rego/analyzer';
import { vapAnalyzer, vapPolicyAnalyzer } from './policy/vap/analyzer';
import type { FileSystemHost } from './workspace/fileSystem';

/** Every analyser the product ships, in the order their findings are listed. */
export const ALL_ANALYZERS: FileAnalyzer[] = [
  controlAnnotationsAnalyzer,
  catalogResolutionAnalyzer,
  oscalAnalyzer,
  kubernetesAnalyzer,
  kyvernoPolicyAnalyzer,
  kyvernoWorkspaceAnalyzer,
  gatekeeperAnalyzer,
  regoAnalyzer,
  vapPolicyAnalyzer,
  vapAnalyzer,
];

export interface CreateEngineOptions {
  settings?: Partial<ControlLensConfig>;
  trusted?: boolean;
  fs?: FileSystemHost;
  controls?: ControlDirectory;
  cacheDir?: string;
}

export function createEngine(options: CreateEngineOptions = {}): Engine {
  return new Engine({
    analyzers: ALL_ANALYZERS,
    controls: options.controls,
    cacheDir: options.cacheDir,
    settings: options.settings,
    trusted: options.trusted,
    fs: options.fs,
  });
}

export { Engine, toPath, toUri } from './engine';
export type { Finding, Range, Position, Severity } from './types';
