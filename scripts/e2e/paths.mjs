// Where the end-to-end harness keeps what it installs and builds; all of it inside the project, git-ignored.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const e2eRoot = join(projectRoot, '.e2e');
export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerDir = join(e2eRoot, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(codeServerDir, 'package', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';
export const RIPGREP = '/usr/bin/rg';
/** The compiled suite: index.js exports run(), as @vscode/test-electron expects. */
export const testsOutDir = join(projectRoot, 'out', 'test', 'vscode');
export const fixturesDir = join(projectRoot, 'test', 'vscode', 'fixtures');
/** The bundled example the coverage tests and the screenshots use. */
export const exampleDir = join(projectRoot, 'examples', 'coverage-demo');
