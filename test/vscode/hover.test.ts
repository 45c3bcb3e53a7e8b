import * as assert from 'node:assert/strict';
import { closeAllEditors, hoverAt, openFixture, rangeOf, waitForDiagnostic, waitForHover } from './support/workbench';

suite('hover', () => {
  teardown(closeAllEditors);

  test('a control id in an annotation shows its title and family', async () => {
    const editor = await openFixture('k8s/privileged-pod.yaml');
    const uri = editor.document.uri;
    // Diagnostics mean the server has the file; hovers before that could race the first analysis.
    await waitForDiagnostic(uri, 'pss.privileged');
    const ac6 = rangeOf(editor.document, 'AC-6');
    const text = await waitForHover(uri, ac6.start.translate(0, 1));
    assert.match(text, /AC-6/);
    assert.match(text, /Least Privilege/i);
    assert.match(text, /Access Control/i, 'the hover names the family');
  });

  test('an enhancement written NIST-style resolves to the enhancement, not its base control', async () => {
    const editor = await openFixture('k8s/privileged-pod.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'pss.privileged');
    const cm71 = rangeOf(editor.document, 'CM-7(1)');
    const text = await waitForHover(uri, cm71.start.translate(0, 2));
    assert.match(text, /CM-7\(1\)/);
    assert.match(text, /Periodic Review/i);
  });

  test('a control id in an OSCAL document shows its title', async () => {
    const editor = await openFixture('oscal/component-definition.json');
    const uri = editor.document.uri;
    const ac2 = rangeOf(editor.document, '"ac-2"');
    const text = await waitForHover(uri, ac2.start.translate(0, 2));
    assert.match(text, /AC-2/);
    assert.match(text, /Account Management/i);
  });

  test('no control hover on plain text', async () => {
    const editor = await openFixture('k8s/privileged-pod.yaml');
    const uri = editor.document.uri;
    await waitForDiagnostic(uri, 'pss.privileged');
    const name = rangeOf(editor.document, 'privileged-pod', 0);
    const text = await hoverAt(uri, name.start.translate(0, 3));
    assert.doesNotMatch(text, /Least Privilege|Account Management/);
  });
});
