// Bundles the three entry points. Everything the extension needs at run time is inside dist/,
// so the .vsix ships no node_modules.
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

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // dist/server.js is a small launcher that loads dist/server-main.js through a V8 code cache.
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server-main.js' },
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
