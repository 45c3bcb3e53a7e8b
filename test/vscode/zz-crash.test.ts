import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, openFixture, waitFor, waitForDiagnostic } from './support/workbench';

interface Api {
  client: { sendRequest<T>(method: string, params?: unknown): Promise<T>; isRunning(): boolean };
  ready(): Promise<{ pid: number }>;
}

// Named to run last: it kills the language server on purpose.
suite('server crash', () => {
  teardown(closeAllEditors);

  test('when the language server dies, the client starts a new one and diagnostics come back', async () => {
    const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(extension);
    const api = extension.isActive ? extension.exports : await extension.activate();
    const before = await api.ready();
    assert.ok(Number.isInteger(before.pid) && before.pid > 0, `status without a pid: ${JSON.stringify(before)}`);
    process.kill(before.pid, 'SIGKILL');

    const after = await waitFor(
      'a new server process',
      async () => {
        if (!api.client.isRunning()) return undefined;
        try {
          // A request sent while the client restarts may never be answered; ask again instead of waiting on it.
          const status = await Promise.race([
            api.client.sendRequest<{ pid: number }>('controlLens/status'),
            new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000)),
          ]);
          return status && status.pid !== before.pid ? status : undefined;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 30_000 },
    );
    assert.notEqual(after.pid, before.pid);

    const editor = await openFixture('k8s/privileged-pod.yaml');
    await waitForDiagnostic(editor.document.uri, 'pss.privileged');
  });
});
