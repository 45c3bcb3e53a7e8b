// @vscode/test-cli configuration: the same integration suites as `npm run test:vscode`, run by
// @vscode/test-electron in a downloaded VS Code (where Microsoft's update host is reachable):
//   node scripts/e2e/test-vscode.mjs --runner electron
// (which builds the extension and the suite first). Where it is not reachable, the default runner
// (code-server in Chromium, scripts/e2e/run-code-server.mjs) runs the same files.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';

// The tests edit documents in memory only and change user settings only; a fresh copy (in the git-ignored
// .vscode-test/ folder, where @vscode/test-electron also keeps VS Code) keeps the sources safe anyway.
function copyOf(folder) {
  const copy = resolve('.vscode-test', 'workspaces', basename(folder));
  rmSync(copy, { recursive: true, force: true });
  cpSync(folder, copy, { recursive: true });
  return copy;
}

const common = {
  version: 'stable',
  mocha: { ui: 'tdd', timeout: 60_000, color: true },
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
};

export default defineConfig([
  { ...common, label: 'fixtures', files: 'out/test/vscode/*.test.js', workspaceFolder: copyOf('test/vscode/fixtures') },
  { ...common, label: 'example', files: 'out/test/vscode/*.example.js', workspaceFolder: copyOf('examples/coverage-demo') },
]);
