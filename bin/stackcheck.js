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

const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

/** Whether these arguments only need the snapshot bundle (no collector, notifier, DynamoDB or serve). */
function snapshotOnly(args) {
  const live = (a) => a === '--notify' || a.startsWith('--notify=') || a.includes('dynamodb:') || a === 'serve';
  if (args.some(live)) return false;
  const snapshot = args.some((a) => a === '--snapshot' || a.startsWith('--snapshot='));
  return snapshot || ['explain', 'help', '--help', '-h', '--version', '-V'].includes(args[0]) || args.length === 0;
}

/**
 * Loads a bundle as require() would, with V8's code cache for it kept beside it (FILE.HASH.v8cache,
 * written at exit when missing or stale, as Node 22's module.enableCompileCache does): a run then
 * skips compiling the functions an earlier run compiled. A cache that does not fit (another Node,
 * a rebuilt bundle) is rejected by V8 and written anew; one that cannot be written is no error.
 */
function loadBundle(file) {
  const source = readFileSync(file);
  // V8 checks a cache against the source's length, not its content: the cache is named by the
  // content's hash, so a rebuilt bundle never runs code compiled from the one before.
  const hash = createHash('sha1').update(source).digest('hex').slice(0, 16);
  const cacheFile = `${file}.${hash}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData });
  const m = { exports: {} };
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, dirname(file));
  if (!cachedData || script.cachedDataRejected)
    process.once('exit', () => {
      try {
        for (const old of readdirSync(dirname(file)))
          if (old.startsWith(`${basename(file)}.`) && old.endsWith('.v8cache')) rmSync(join(dirname(file), old));
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only install: every run compiles, as without the cache.
      }
    });
  return m.exports;
}

function load() {
  if (!process.env.STACKCHECK_UNBUNDLED) {
    const name = snapshotOnly(process.argv.slice(2)) ? 'cli-snapshot.js' : 'cli.js';
    const bundle = join(__dirname, '..', 'dist', name);
    if (existsSync(bundle)) return loadBundle(bundle);
  }
  return require('../dist/lib/cli/main.js');
}

let main;
try {
  ({ main } = load());
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
