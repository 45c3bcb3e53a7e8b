/**
 * The language server's entry point. Compiling the server bundle is about half of the server's start-up, so the
 * bundle is loaded through a V8 code cache (`v8-compile-cache`, kept where V8_COMPILE_CACHE_CACHE_DIR says: the
 * client points it at the extension's storage) and compiled in full only on the first start after an update.
 */
import 'v8-compile-cache';

// Loaded at run time, not bundled into this file, so the cache covers it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require('./server-main.js') as { main(): void };
server.main();
