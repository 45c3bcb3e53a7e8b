#!/usr/bin/env node
// Refreshes the README's pictures: runs the screenshot tour (test/vscode/tour.shots.ts) on examples/coverage-demo
// in a real VS Code (code-server in headless Chromium) and saves PNGs into docs/images/.
//
// usage: node scripts/screenshots.mjs [--out DIR]      (npm run screenshots)
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildTests } from './e2e/build-tests.mjs';
import { ensureInstalled } from './e2e/install-code-server.mjs';
import { projectRoot } from './e2e/paths.mjs';
import { parseArgs, runInCodeServer } from './e2e/run-code-server.mjs';

const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? resolve(process.argv[outAt + 1]) : join(projectRoot, 'docs', 'images');

ensureInstalled();
const build = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
await buildTests();
const code = await runInCodeServer(parseArgs(['--suite', 'shots', '--screenshots', out, '--timeout', '300']));
if (code === 0) console.log(`screenshots: saved in ${out}`);
process.exit(code);
