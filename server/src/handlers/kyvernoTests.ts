/** `controlLens/runKyvernoTest`: runs one Kyverno CLI test file and returns its wrong expectations as diagnostics. */
import type { Connection } from 'vscode-languageserver';
import { toPath, type Engine } from '../engine';
import { testMismatchMarks } from '../engine/policy/kyverno/testMarks';
import { runTestFile } from '../engine/policy/kyverno/testRunner';
import { toDiagnostic } from '../lsp/convert';

export const RUN_KYVERNO_TEST_REQUEST = 'controlLens/runKyvernoTest';

export interface RunKyvernoTestResult {
  total: number;
  failed: number;
  error?: string;
  diagnostics: ReturnType<typeof toDiagnostic>[];
}

export function registerKyvernoTestHandlers(connection: Connection, engine: () => Engine): void {
  connection.onRequest(RUN_KYVERNO_TEST_REQUEST, async (params: { uri: string }): Promise<RunKyvernoTestResult> => {
    const path = toPath(params.uri);
    const entry = engine().workspace.get(params.uri);
    if (!path || !entry) return { total: 0, failed: 0, error: 'The test file is not in the workspace.', diagnostics: [] };
    try {
      const entries = runTestFile(path);
      const marks = testMismatchMarks(entry.file, entries);
      return { total: entries.length, failed: marks.length, diagnostics: marks.map(toDiagnostic) };
    } catch (e) {
      return { total: 0, failed: 0, error: e instanceof Error ? e.message : String(e), diagnostics: [] };
    }
  });
}
