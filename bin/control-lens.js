#!/usr/bin/env node
// Thin launcher so the bin works from a checkout (after `npm ci` builds dist/) and from a package.
require('../dist/cli.js').cliMain();
