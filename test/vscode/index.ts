// Entry point of the integration suite inside VS Code's extension host. Runner-agnostic: @vscode/test-electron
// and the code-server harness (scripts/e2e/run-code-server.mjs) both load this file as extensionTestsPath and
// call run(); @vscode/test-cli loads the *.test.js files itself (see .vscode-test.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { relayMochaOutput } from './support/relay';

export async function run(): Promise<void> {
  // Stack traces of failures then point into the .ts sources (the bundles carry inline source maps).
  process.setSourceMapsEnabled(true);
  // Loaded at run time from node_modules (not bundled), like @vscode/test-cli does; mocha 12 is an ES module
  // wrapping CommonJS, and Node 20's require(esm) hands back its namespace.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mochaModule = require('mocha');
  const Mocha: typeof import('mocha') = mochaModule.default ?? mochaModule;
  relayMochaOutput(Mocha);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });

  // *.test.js run on test/vscode/fixtures, *.example.js on examples/coverage-demo, *.shots.js is the screenshot
  // tour (scripts/screenshots.mjs); the harness opens the matching folder (scripts/e2e/run-code-server.mjs).
  const suite = process.env.CONTROL_LENS_E2E_SUITE || 'test';
  if (!/^[a-z]+$/.test(suite)) throw new Error(`bad CONTROL_LENS_E2E_SUITE ${suite}`);
  const pattern = new RegExp(`\\.${suite}\\.js$`);
  const files = fs.readdirSync(__dirname).filter((name) => pattern.test(name)).sort();
  if (files.length === 0) throw new Error(`no compiled test files matching ${pattern} in ${__dirname}`);
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  const grep = process.env.CONTROL_LENS_E2E_GREP;
  if (grep) mocha.grep(grep);

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed`);
}
