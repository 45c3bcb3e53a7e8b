/**
 * OSCAL: validation (structure from the project's own model, the official schema when available),
 * cross-document semantics, and editor features as plain functions over a ParsedFile and a position.
 */
export { analyzeOscalFile, analyzeOscalValue, type OscalEnvironment, type OscalDocumentAnalysis, type OscalFileAnalysis } from './analyze';
export { officialSchemasFromDirectory, type OfficialSchemas } from './official';
export { oscalRoot } from './detect';
export { chooseModelVersion, MODEL_VERSIONS, LATEST_MODEL_VERSION } from './model/model';
export type { ControlSource as OscalControlSource } from './semantic/controls';
export { oscalHover, oscalDefinition, oscalReferences, type OscalLocation, type HoverResult } from './features/navigation';
export { oscalCompletions, type OscalCompletion } from './features/completion';
export { oscalSymbols, type OscalSymbol } from './features/symbols';
export { oscalCodeActions } from './features/actions';
export { oscalControlHover } from './features/controlHover';
export { createOscalAnalyzer, oscalAnalyzer, engineEnvironment, type OscalAnalyzerOptions } from './analyzer';
