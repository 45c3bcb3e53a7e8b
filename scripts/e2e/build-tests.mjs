#!/usr/bin/env node
// Bundles the VS Code integration suite into out/test/vscode/: one file per test module plus index.js, each
// self-contained except for `vscode` (provided by the extension host) and mocha (loaded from node_modules, as
// @vscode/test-cli does). Fixtures stay in test/vscode/fixtures and are opened in place or copied by the harness.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, testsOutDir } from './paths.mjs';

export async function buildTests() {
  const sourceDir = join(projectRoot, 'test', 'vscode');
  const entryPoints = readdirSync(sourceDir)
    .filter((name) => name === 'index.ts' || /\.(test|example|shots|untrusted)\.ts$/.test(name))
    .map((name) => join(sourceDir, name));
  rmSync(testsOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: testsOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return entryPoints.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = await buildTests();
  console.log(`build-tests: ${count} entry points bundled into ${testsOutDir}`);
}
