// Bundles the three entry points. Everything the extension needs at run time is inside dist/,
// so the .vsix ships no node_modules.
import { readFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Minified in development too: start-up reads and compiles less (the server bundle halves), and what the
// activation benchmark measures is what ships. The source maps say where minified code came from.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: true,
  logLevel: 'warning',
};

// vscode-jsonrpc loads node's crypto when it loads, only to name the pipes of a transport the server does not
// use (it talks over node IPC); crypto is ~2 ms of the server's start. The build fails if the library changes.
const lazyCryptoInJsonRpc = {
  name: 'lazy-crypto-in-vscode-jsonrpc',
  setup(build) {
    build.onLoad({ filter: /vscode-jsonrpc[\\/]lib[\\/]node[\\/]main\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const eager = 'const crypto_1 = require("crypto");';
      if (source.split(eager).length !== 2) throw new Error(`${args.path} no longer has exactly one ${eager}: review lazyCryptoInJsonRpc`);
      return { contents: source.replace(eager, 'const crypto_1 = { randomBytes: (size) => require("crypto").randomBytes(size) };'), loader: 'js' };
    });
  },
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // dist/server.js is a small launcher that loads dist/server-main.js through a V8 code cache.
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server-main.js', plugins: [lazyCryptoInJsonRpc] },
  { entryPoints: ['server/src/serverLauncher.ts'], outfile: 'dist/server.js', external: ['./server-main.js'] },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
];

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
