#!/usr/bin/env node
'use strict';
// Thin launcher: `npm run build` (run by `npm ci` through `prepare`) compiles the CLI to dist/ and
// bundles it (scripts/build-cli.js): dist/cli-snapshot.js for runs that read no live state
// (`verify --snapshot` without --notify or a DynamoDB --state, `explain`, help), dist/cli.js for
// everything else. The compiled modules are the fallback, and are used when STACKCHECK_UNBUNDLED=1
// (debugging with the source layout).
// A closed pipe (`stackcheck … | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
    throw err;
  });
}

const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** Whether these arguments only need the snapshot bundle (no collector, notifier, DynamoDB or serve). */
function snapshotOnly(args) {
  const live = (a) => a === '--notify' || a.startsWith('--notify=') || a.includes('dynamodb:') || a === 'serve';
  if (args.some(live)) return false;
  const snapshot = args.some((a) => a === '--snapshot' || a.startsWith('--snapshot='));
  return snapshot || ['explain', 'help', '--help', '-h', '--version', '-V'].includes(args[0]) || args.length === 0;
}

function entry() {
  if (process.env.STACKCHECK_UNBUNDLED) return '../dist/lib/cli/main.js';
  const name = snapshotOnly(process.argv.slice(2)) ? 'cli-snapshot.js' : 'cli.js';
  const bundle = join(__dirname, '..', 'dist', name);
  return existsSync(bundle) ? bundle : '../dist/lib/cli/main.js';
}

let main;
try {
  ({ main } = require(entry()));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]lib[\\/]cli[\\/]main/.test(String(err.message))) {
    process.stderr.write('stackcheck: not built yet; run `npm run build` (npm ci does it through `prepare`).\n');
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`stackcheck: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  },
);
