// Preloaded (node -r) into a measured child process: on exit, appends its peak resident set size and CPU
// time to the file named by BENCH_RSS_FILE, so the command and the baseline are measured the same way.
/* global require, process */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload
const { appendFileSync } = require('node:fs');
process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  appendFileSync(file, JSON.stringify({ maxRssKb: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }) + '\n');
});
