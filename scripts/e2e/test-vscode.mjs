#!/usr/bin/env node
// `npm run test:vscode`: the VS Code integration suite, end to end. Installs what is missing (code-server and
// Chromium, cached in .e2e/), builds the extension and the suite, runs it in a real VS Code, and exits with the
// suite's result (non-zero when any test fails).
//
// usage: node scripts/e2e/test-vscode.mjs [--runner code-server|electron] [run-code-server.mjs options]
//   code-server (default): VS Code served by the npm package code-server, driven by Debian's Chromium; works
//                          where only npm and Debian are reachable.
//   electron:              @vscode/test-cli + @vscode/test-electron with .vscode-test.mjs (downloads VS Code).
// Without --suite, three runs: `test` on test/vscode/fixtures, `example` on examples/coverage-demo, and
// `untrusted` on the fixtures again with workspace trust on.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildTests } from './build-tests.mjs';
import { ensureInstalled } from './install-code-server.mjs';
import { projectRoot } from './paths.mjs';
import { runInCodeServer, parseArgs } from './run-code-server.mjs';

const args = process.argv.slice(2);
let runner = 'code-server';
const runnerAt = args.indexOf('--runner');
if (runnerAt >= 0) {
  runner = args[runnerAt + 1];
  args.splice(runnerAt, 2);
}
if (runner !== 'code-server' && runner !== 'electron') {
  console.error(`test-vscode: --runner must be code-server or electron, not ${runner}`);
  process.exit(2);
}

const timings = [];
async function phase(name, work) {
  const started = Date.now();
  const result = await work();
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return result;
}

function buildExtension() {
  const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the extension (scripts/build.mjs) failed');
}

let code = 1;
try {
  const suites = args.includes('--suite') ? [parseArgs(args)] : ['test', 'example', 'untrusted'].map((suite) => parseArgs([...args, '--suite', suite]));
  if (runner === 'code-server') await phase('install', () => ensureInstalled());
  await phase('build', async () => {
    buildExtension();
    await buildTests();
  });
  if (runner === 'code-server') {
    code = 0;
    for (const options of suites) {
      const result = await phase(`run ${options.suite}`, () => runInCodeServer(options));
      if (result !== 0) code = result;
    }
  } else {
    code = await phase('run', () => {
      const cli = join(projectRoot, 'node_modules', '@vscode', 'test-cli', 'out', 'bin.mjs');
      return spawnSync(process.execPath, [cli, '--config', join(projectRoot, '.vscode-test.mjs')], { cwd: projectRoot, stdio: 'inherit' }).status ?? 1;
    });
  }
} catch (error) {
  console.error(`test-vscode: ${error instanceof Error ? error.message : error}`);
  code = 1;
}
console.log(`test-vscode: ${code === 0 ? 'passed' : 'FAILED'} (${timings.join(', ')})`);
process.exit(code);
