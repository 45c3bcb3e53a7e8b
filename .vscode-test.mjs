// @vscode/test-cli configuration: the same integration suite as `npm run test:vscode`, run by
// @vscode/test-electron in a downloaded VS Code (where Microsoft's update host is reachable):
//   node scripts/e2e/build-tests.mjs && npm run build && npx vscode-test
// or `node scripts/e2e/test-vscode.mjs --runner electron`. Where it is not reachable, the default runner
// (code-server in Chromium, scripts/e2e/run-code-server.mjs) runs the same files.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The quick-fix and settings tests edit documents in memory only, but a copy keeps the fixtures safe regardless.
const workspace = mkdtempSync(join(tmpdir(), 'control-lens-fixtures-'));
cpSync('test/vscode/fixtures', workspace, { recursive: true });

export default defineConfig({
  label: 'integration',
  files: 'out/test/vscode/*.test.js',
  workspaceFolder: workspace,
  version: 'stable',
  mocha: { ui: 'tdd', timeout: 60_000, color: true },
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
});
