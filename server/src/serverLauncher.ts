/**
 * The language server's entry point (dist/server.js): loads the server bundle (dist/server-main.js) through a V8
 * code cache (lsp/codeCache.ts) kept where CONTROL_LENS_CODE_CACHE_DIR says (the client points it at the
 * extension's storage), then starts the server. The cache is made once the session has started, so it holds the
 * functions start-up ran: those answering `initialize` and the set-up of the engine's modules. (Made before the
 * engine loads, it would save ~3 ms of the next start and cost ~20 ms of the engine's load.)
 */
import { installCodeCache, saveCodeCaches } from './lsp/codeCache';
import { CODE_CACHE_DIR_VAR } from './lsp/serverEnvironment';

const cacheDir = process.env[CODE_CACHE_DIR_VAR];
if (cacheDir) installCodeCache({ dir: cacheDir, root: __dirname });

// Loaded at run time, not bundled into this file, so the cache covers it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require('./server-main.js') as typeof import('./server');
server.main({ onSessionStarted: saveCodeCaches });
