/**
 * The extension's entry (client/src/extension.ts) forks the server before the language client is loaded; that
 * only helps while loading the entry loads neither the client (client.ts) nor the language client library.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/corpus';

test('loading the entry loads neither client.ts nor vscode-languageclient', () => {
  const script = `
    const Module = require('node:module');
    const load = Module._load;
    Module._load = function (request, ...rest) { return request === 'vscode' ? {} : load.call(this, request, ...rest); };
    require(${JSON.stringify(join(REPO_ROOT, 'client/src/extension.ts'))});
    const loaded = Object.keys(require.cache).filter((k) => k.includes('vscode-languageclient') || k.startsWith(${JSON.stringify(join(REPO_ROOT, 'client/src'))}));
    process.stdout.write(JSON.stringify(loaded.map((k) => k.slice(${JSON.stringify(REPO_ROOT.length + 1)}))));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as string[];
  assert.deepEqual(loaded.sort(), ['client/src/extension.ts', 'client/src/serverProcess.ts']);
});
