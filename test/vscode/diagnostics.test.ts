import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, describeDiagnostics, fixtureUri, openFixture, rangeOf, sleep, waitForDiagnostic } from './support/workbench';

suite('diagnostics', () => {
  teardown(closeAllEditors);

  test('a privileged container gets pss.privileged on the privileged field, mapped to controls', async () => {
    const editor = await openFixture('k8s/privileged-pod.yaml');
    const [finding] = await waitForDiagnostic(editor.document.uri, 'pss.privileged');
    const field = rangeOf(editor.document, 'privileged: true');
    assert.equal(finding.range.start.line, field.start.line, `pss.privileged is not on the privileged line: ${describeDiagnostics(editor.document.uri)}`);
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding.message, /web/, 'the message names the container');
  });

  test('OSCAL: an unknown control id is flagged where it is written, a real one is not', async () => {
    const editor = await openFixture('oscal/component-definition.json');
    const uri = editor.document.uri;
    const unknown = await waitForDiagnostic(uri, /unknown-control$/);
    const bad = rangeOf(editor.document, '"ac-99"');
    const good = rangeOf(editor.document, '"ac-2"');
    assert.ok(
      unknown.some((d) => d.range.intersection(bad) !== undefined),
      `no unknown-control diagnostic on "ac-99": ${describeDiagnostics(uri)}`,
    );
    assert.ok(
      unknown.every((d) => d.range.intersection(good) === undefined),
      `"ac-2" is a real control but was flagged: ${describeDiagnostics(uri)}`,
    );
  });

  test('Kyverno: a JMESPath syntax error is reported inside the expression', async () => {
    const editor = await openFixture('kyverno/require-team-label.yaml');
    const uri = editor.document.uri;
    const findings = await waitForDiagnostic(uri, /^kyverno\./);
    const expression = rangeOf(editor.document, 'request.object.metadata.labels[team');
    const inside = findings.filter((d) => expression.contains(d.range.start));
    assert.ok(inside.length > 0, `no kyverno.* diagnostic inside the JMESPath expression: ${describeDiagnostics(uri)}`);
    assert.ok(inside.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });

  test('a YAML file that is not ours gets no diagnostics at all', async () => {
    const ci = await openFixture('ci/workflow.yaml');
    // Wait for a file that does get findings, so the server has certainly analysed the workspace by now.
    await openFixture('k8s/privileged-pod.yaml');
    await waitForDiagnostic(fixtureUri('k8s/privileged-pod.yaml'), 'pss.privileged');
    await sleep(1000);
    const noise = vscode.languages.getDiagnostics(ci.document.uri);
    assert.deepEqual(noise.map((d) => `${codeOf(d)}: ${d.message}`), []);
  });
});
