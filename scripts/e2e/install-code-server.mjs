#!/usr/bin/env node
// Installs the VS Code that the integration tests run in: code-server (the VS Code server and web workbench,
// from npm) plus Debian's Chromium to drive it. @vscode/test-electron cannot be used where Microsoft's update
// host is unreachable; npm and Debian are. code-server's own postinstall fails as root, so its steps are done
// by hand here. Idempotent: a finished install leaves a stamp and is skipped next time.
//
// usage: node scripts/e2e/install-code-server.mjs [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, CODE_SERVER_VERSION, RIPGREP, codeServerDir, codeServerEntry, e2eRoot } from './paths.mjs';

const force = process.argv.includes('--force');

function run(cmd, args, cwd, { allowFailure = false, env = {} } = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal}) after ${seconds}s`);
  }
  if (result.status !== 0) console.warn(`install: ${cmd} ${args.join(' ')} failed (not needed, continuing)`);
  return result.status === 0;
}

export function codeServerInstalled() {
  const stamp = join(codeServerDir, '.installed');
  return existsSync(codeServerEntry) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === CODE_SERVER_VERSION;
}

/**
 * Debian packages the harness needs: Chromium to drive the workbench, and ripgrep because VS Code's file
 * search (and so `workspaceContains:` activation) runs rg, whose npm package would download it from GitHub.
 */
const DEBIAN_PACKAGES = [
  { name: 'chromium', binary: CHROMIUM },
  { name: 'ripgrep', binary: RIPGREP },
];

function ensureDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !existsSync(p.binary));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`${missing.map((p) => p.binary).join(' and ')} missing and this is not root: run "sudo apt-get install -y ${names.join(' ')}" once`);
  }
  console.log(`install: installing ${names.join(', ')} with apt-get`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '--no-install-recommends', ...names];
  // Fresh containers have no package lists; only refresh them when the first attempt shows they are needed.
  if (!run('apt-get', install, '/', { allowFailure: true, env })) {
    run('apt-get', ['update'], '/', { env });
    run('apt-get', install, '/', { env });
  }
  const still = missing.filter((p) => !existsSync(p.binary));
  if (still.length) throw new Error(`apt-get finished but ${still.map((p) => p.binary).join(', ')} still missing`);
}

/** Points @vscode/ripgrep (installed without its download script) at Debian's rg. */
function linkRipgrep() {
  const bin = join(codeServerDir, 'package', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin');
  const target = join(bin, 'rg');
  if (existsSync(target)) return;
  mkdirSync(bin, { recursive: true });
  rmSync(target, { force: true }); // a dangling link
  symlinkSync(RIPGREP, target);
}

function installCodeServer() {
  if (!force && codeServerInstalled()) {
    console.log(`install: code-server ${CODE_SERVER_VERSION} already in ${codeServerDir}`);
    return;
  }
  // Build in a private staging folder and rename it into place at the end, so an interrupted or concurrent
  // install never leaves a half-built code-server that looks finished.
  const staging = `${codeServerDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const npmQuiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  console.log(`install: fetching code-server@${CODE_SERVER_VERSION}`);
  run('npm', ['pack', `code-server@${CODE_SERVER_VERSION}`, '--silent'], staging);
  run('tar', ['xzf', `code-server-${CODE_SERVER_VERSION}.tgz`], staging);
  rmSync(join(staging, `code-server-${CODE_SERVER_VERSION}.tgz`));
  const pkg = join(staging, 'package');
  const vscode = join(pkg, 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet], pkg);
  run('npm', ['rebuild', 'argon2', ...npmQuiet], pkg);
  run('npm', ['install', '--omit=dev', '--ignore-scripts', ...npmQuiet], vscode);
  // code-server looks its modules up through node_modules.asar, as the desktop build does.
  rmSync(join(vscode, 'node_modules.asar'), { force: true });
  symlinkSync('node_modules', join(vscode, 'node_modules.asar'));
  for (const native of ['node-pty', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher']) {
    run('npm', ['rebuild', native, ...npmQuiet], vscode, { env: { npm_config_yes: 'true' } });
  }
  writeFileSync(join(staging, '.installed'), `${CODE_SERVER_VERSION}\n`);
  rmSync(codeServerDir, { recursive: true, force: true });
  renameSync(staging, codeServerDir);
  console.log(`install: code-server ${CODE_SERVER_VERSION} ready in ${codeServerDir}`);
}

export function ensureInstalled() {
  mkdirSync(e2eRoot, { recursive: true });
  const started = Date.now();
  ensureDebianPackages();
  installCodeServer();
  linkRipgrep();
  return (Date.now() - started) / 1000;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const seconds = ensureInstalled();
    console.log(`install: done in ${seconds.toFixed(1)}s`);
  } catch (error) {
    console.error(`install: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
