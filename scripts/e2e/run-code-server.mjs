#!/usr/bin/env node
// Runs the extension's integration tests inside a real VS Code: code-server (the VS Code server and web
// workbench) on a free loopback port, its workbench opened in headless Chromium through playwright-core. The
// tests run in the server's Node extension host with the full `vscode` API, as under @vscode/test-electron,
// and the workbench reports their exit code through `codeAutomationExit`.
//
// usage: node scripts/e2e/run-code-server.mjs [--suite test|example|shots] [--tests FILE] [--extension DIR]
//          [--workspace DIR] [--timeout SECONDS] [--screenshots DIR] [--trust] [--grep TEXT] [--keep]
//   --suite        which test files index.js runs (*.<suite>.js) and, unless --workspace, which folder:
//                  test → test/vscode/fixtures, example and shots → examples/coverage-demo,
//                  untrusted → test/vscode/fixtures with workspace trust on (default test)
//   --tests        compiled suite entry exporting run() (default out/test/vscode/index.js)
//   --extension    extension under development (default: the project)
//   --workspace    folder to copy and open; the copy is what the tests edit
//   --screenshots  folder for PNGs the tests ask for (see test/vscode/support/screenshot.ts)
//   --trust        keep workspace trust on (the main run turns it off so no trust dialog blocks it)
//   --grep         only tests whose title contains TEXT (passed to the suite as CONTROL_LENS_E2E_GREP)
//   --keep         keep the run folder (user data, logs, workspace copy) for inspection
/* global fetch, AbortSignal, setInterval, clearInterval */
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { CHROMIUM, codeServerEntry, e2eRoot, exampleDir, fixturesDir, projectRoot, testsOutDir } from './paths.mjs';

/** The folder each suite opens by default. */
const SUITE_WORKSPACES = {
  test: fixturesDir,
  example: exampleDir,
  shots: exampleDir,
  untrusted: fixturesDir,
};

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function parseArgs(argv) {
  const options = {
    tests: join(testsOutDir, 'index.js'),
    extension: projectRoot,
    suite: 'test',
    workspace: undefined,
    timeoutSeconds: 600,
    screenshots: undefined,
    trust: false,
    grep: undefined,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--tests') options.tests = resolve(value());
    else if (arg === '--extension') options.extension = resolve(value());
    else if (arg === '--workspace') options.workspace = resolve(value());
    else if (arg === '--suite') options.suite = value();
    else if (arg === '--timeout') options.timeoutSeconds = Number(value());
    else if (arg === '--screenshots') options.screenshots = resolve(value());
    else if (arg === '--grep') options.grep = value();
    else if (arg === '--trust') options.trust = true;
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!SUITE_WORKSPACES[options.suite]) throw new Error(`--suite must be one of ${Object.keys(SUITE_WORKSPACES).join(', ')}`);
  options.workspace ??= SUITE_WORKSPACES[options.suite];
  if (options.suite === 'untrusted') options.trust = true;
  if (!Number.isFinite(options.timeoutSeconds) || options.timeoutSeconds <= 0) throw new Error('--timeout needs a number of seconds');
  return options;
}

function freeLoopbackPort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHttp(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`code-server did not answer on ${url} in time`);
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Kills code-server and every process it started (extension host, file watcher, pty host). */
function stopProcessGroup(child) {
  if (!child?.pid) return Promise.resolve();
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // the whole group is gone
    }
  };
  // The group outlives its leader when code-server itself dies first: signal it whatever the leader's state.
  if (!signalGroup('SIGTERM')) return Promise.resolve();
  return new Promise((done) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (!signalGroup(0)) {
        clearInterval(poll);
        done();
      } else if (Date.now() - started > 5000) {
        signalGroup('SIGKILL');
        clearInterval(poll);
        done();
      }
    }, 100);
  });
}

/** test/vscode/support/relay.ts prefixes every console line of the suite with this. */
const RELAY_PREFIX = 'control-lens-e2e| ';
/** After RELAY_PREFIX: the suite asks for a screenshot (test/vscode/support/screenshot.ts). */
const SCREENSHOT_REQUEST = 'screenshot ';

/**
 * Extension host console messages reach the browser console behind a styling prefix such as
 * "%c INFO color: #33f " (or "%c  ERR color: #f33 "); strip it so the relay reads like a terminal.
 */
function classifyConsoleText(raw) {
  const text = raw.replace(/^%c\s*[A-Z]+\s+color: #[0-9a-fA-F]+ /, '');
  if (text.startsWith(RELAY_PREFIX)) return { kind: 'tests', text: text.slice(RELAY_PREFIX.length) };
  // Activation failures and server crashes of the extension under test matter even when the suite is quiet.
  if (/control-lens|Control Lens/.test(text) && /error|fail|exception/i.test(text)) return { kind: 'extension', text };
  return { kind: 'workbench', text };
}

/** Failed runs are kept for inspection; only the few most recent ones. */
function pruneOldRuns(runsDir, keep = 4) {
  mkdirSync(runsDir, { recursive: true });
  const runs = readdirSync(runsDir)
    .filter((name) => name.startsWith('run-'))
    .map((name) => ({ path: join(runsDir, name), time: statSync(join(runsDir, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const run of runs.slice(keep)) rmSync(run.path, { recursive: true, force: true });
}

export async function runInCodeServer(options) {
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  if (!existsSync(codeServerEntry)) throw new Error(`code-server is not installed: run node scripts/e2e/install-code-server.mjs`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/e2e/install-code-server.mjs`);
  if (!existsSync(options.tests)) throw new Error(`no compiled suite at ${options.tests}: run node scripts/e2e/build-tests.mjs`);

  pruneOldRuns(join(e2eRoot, 'runs'));
  const runDir = mkdtempSync(join(e2eRoot, 'runs', 'run-'));
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  const workspace = join(runDir, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  cpSync(options.workspace, workspace, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': options.trust,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'window.commandCenter': false,
    'chat.commandCenter.enabled': false,
    // The workspace copy lives inside the project's git repository; without these, a git notification covers
    // part of every screenshot.
    'git.openRepositoryInParentFolders': 'never',
    'git.autoRepositoryDetection': false,
  };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // An explicit config keeps code-server from writing one into the user's home.
  const configFile = join(runDir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  if (options.screenshots) mkdirSync(options.screenshots, { recursive: true });

  const port = await freeLoopbackPort();
  const origin = `http://127.0.0.1:${port}`;
  const logFile = join(runDir, 'code-server.log');
  const log = createWriteStream(logFile);
  let codeServer;
  let browser;
  let timer;
  let exitCode = 1;
  const stopOnSignal = (signal) => {
    console.error(`e2e: ${signal}, stopping code-server and the browser`);
    Promise.allSettled([browser?.close(), stopProcessGroup(codeServer)]).then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    codeServer = spawn(
      process.execPath,
      [
        codeServerEntry,
        '--config', configFile,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        workspace,
      ],
      {
        cwd: runDir,
        detached: true, // its own process group, so the extension host and watchers stop with it
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          // code-server keeps logs and a heartbeat under the XDG folders; keep them in the run folder, not $HOME.
          XDG_DATA_HOME: join(runDir, 'xdg', 'data'),
          XDG_CONFIG_HOME: join(runDir, 'xdg', 'config'),
          XDG_CACHE_HOME: join(runDir, 'xdg', 'cache'),
          // Read by the suite in the extension host, which inherits code-server's environment.
          CONTROL_LENS_E2E: '1',
          CONTROL_LENS_E2E_SUITE: options.suite,
          CONTROL_LENS_E2E_SCREENSHOTS: options.screenshots ?? '',
          CONTROL_LENS_E2E_GREP: options.grep ?? '',
        },
      },
    );
    codeServer.stdout.pipe(log);
    codeServer.stderr.pipe(log);
    await waitForHttp(`${origin}/healthz`, codeServer, Math.min(deadline, Date.now() + 60_000));
    console.log(`e2e: code-server ${origin} up after ${((Date.now() - started) / 1000).toFixed(1)}s (run folder ${runDir})`);

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    let reportExit;
    const exited = new Promise((r) => (reportExit = r));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));

    // Screenshots are taken one at a time, in the order the suite asks for them.
    let shots = Promise.resolve();
    const takeScreenshot = (name) => {
      if (!options.screenshots || !/^[\w.-]+$/.test(name)) {
        console.error(`e2e: ignoring screenshot request "${name}"`);
        return;
      }
      shots = shots.then(async () => {
        const target = join(options.screenshots, `${name}.png`);
        const partial = `${target}.partial`;
        try {
          await page.screenshot({ path: partial, type: 'png' });
          // The suite waits for the final name to appear, so it must appear complete.
          renameSync(partial, target);
          console.log(`e2e: screenshot ${target}`);
        } catch (error) {
          console.error(`e2e: screenshot ${name} failed: ${error.message}`);
        }
      });
    };

    const verbose = process.env.CONTROL_LENS_E2E_VERBOSE === '1';
    page.on('console', (message) => {
      const { kind, text } = classifyConsoleText(message.text());
      if (kind === 'tests' && text.startsWith(SCREENSHOT_REQUEST)) takeScreenshot(text.slice(SCREENSHOT_REQUEST.length).trim());
      else if (kind === 'tests') console.log(text);
      else if (kind === 'extension') console.log(`[workbench ${message.type()}] ${text.slice(0, 2000)}`);
      else if (verbose) console.log(`[workbench ${message.type()}] ${text.slice(0, 500)}`);
    });
    page.on('pageerror', (error) => {
      if (verbose) console.log(`[workbench pageerror] ${error.message}`);
    });

    const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(options.extension)],
      ['extensionTestsPath', remote(options.tests)],
    ]);
    const url = `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    await page.goto(url);

    const timedOut = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), Math.max(0, deadline - Date.now()));
    });
    const serverDied = new Promise((r) => codeServer.once('exit', (code, signal) => r(`code-server exited (${code ?? signal})`)));
    const result = await Promise.race([exited, timedOut, serverDied]);
    await shots;
    if (result === 'timeout') {
      console.error(
        `e2e: TIMEOUT: the tests did not finish within ${options.timeoutSeconds}s (raise it with --timeout). ` +
          `Last lines of the code-server log:\n${tail(logFile)}`,
      );
      if (options.screenshots) await page.screenshot({ path: join(options.screenshots, 'timeout.png') }).catch(() => {});
      exitCode = 1;
    } else if (typeof result === 'string') {
      console.error(`e2e: ${result} before the tests finished. Last lines of its log:\n${tail(logFile)}`);
      exitCode = 1;
    } else {
      exitCode = result === 0 ? 0 : 1;
      console.log(`e2e: tests exited with code ${result} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.message : error}\nLast lines of the code-server log:\n${tail(logFile)}`);
    exitCode = 1;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await stopProcessGroup(codeServer);
    log.end();
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    if (!options.keep && exitCode === 0) rmSync(runDir, { recursive: true, force: true });
    else console.log(`e2e: run folder kept for inspection: ${runDir}`);
  }
  return exitCode;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`run-code-server: ${error.message}`);
    process.exit(2);
  }
  process.exit(await runInCodeServer(options));
}
