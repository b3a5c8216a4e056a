#!/usr/bin/env node
'use strict';
// Thin launcher: `npm run build` (run by `npm ci` through `prepare`) compiles the CLI to dist/ and
// bundles it (scripts/build-cli.js): dist/cli-snapshot.js for runs that read no live state
// (`verify --snapshot` without --notify or a DynamoDB --state, `explain`, help), dist/cli.js for
// everything else. The compiled modules are the fallback, and are used when STACKCHECK_UNBUNDLED=1
// (debugging with the source layout).
//
// Output that cannot be written is not worth a stack trace: a closed pipe (`stackcheck … | head`)
// ends the process quietly, as other CLIs do; any other write error (a full disk: ENOSPC) is one
// line naming the stream and exit 2 (docs/cli.md).
function onWriteError(err, name) {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode || 0);
  if (name === 'stdout') {
    const why = err && err.code === 'ENOSPC' ? 'no space left on device' : (err && err.message) || String(err);
    try {
      require('node:fs').writeSync(
        2,
        `stackcheck: cannot write the report to stdout: ${why}${err && err.code ? ` (${err.code})` : ''}\n`,
      );
    } catch {
      // stderr is gone too: the exit code is all that is left
    }
  }
  process.exit(2);
}
process.stdout.on('error', (err) => onWriteError(err, 'stdout'));
process.stderr.on('error', (err) => onWriteError(err, 'stderr'));

const { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

/**
 * Whether verify's config file (--config FILE, else ./.stackcheck.yaml) may name notify targets or
 * a DynamoDB state: its defaults (`notify: [slack]`, `state: dynamodb:TABLE`) need the full bundle
 * as the flags do. A plain look at the text: a false alarm only costs the bigger bundle.
 */
function configNeedsFull(args) {
  const i = args.findLastIndex((a) => a === '--config' || a.startsWith('--config='));
  const file = i < 0 ? '.stackcheck.yaml' : args[i] === '--config' ? args[i + 1] : args[i].slice('--config='.length);
  try {
    return /notify|dynamodb/i.test(readFileSync(file, 'utf8'));
  } catch {
    return false; // none here, or unreadable: main says so where it matters
  }
}

/** Whether these arguments only need the snapshot bundle (no collector, notifier, DynamoDB or serve). */
function snapshotOnly(args) {
  const live = (a) => a === '--notify' || a.startsWith('--notify=') || a.includes('dynamodb:') || a === 'serve';
  if (args.some(live)) return false;
  const snapshot = args.some((a) => a === '--snapshot' || a.startsWith('--snapshot='));
  if (snapshot && args[0] === 'verify' && configNeedsFull(args)) return false;
  return snapshot || ['explain', 'help', '--help', '-h', '--version', '-V'].includes(args[0]) || args.length === 0;
}

/**
 * Loads a bundle as require() would, with V8's code cache for it kept beside it (FILE.HASH.v8cache,
 * written at exit when missing or stale, as Node 22's module.enableCompileCache does, by the runs
 * that do more than print: `writeCache`): a run then skips compiling the functions an earlier run
 * compiled. A cache that does not fit (another Node, a rebuilt bundle) is rejected by V8 and
 * written anew; one that cannot be written is no error.
 */
function loadBundle(file, writeCache) {
  const source = readFileSync(file);
  // V8 checks a cache against the source's length, not its content: the cache is named by the
  // content's hash, so a rebuilt bundle never runs code compiled from the one before. The build
  // writes that hash on the bundle's first line (scripts/build-cli.js), so a start needs neither
  // node:crypto nor a pass over 2 MB; a bundle without that line is hashed here. (Rebuild rather
  // than edit a bundle: an edit that kept its length and first line would meet the old cache.)
  const id = /^\/\/ stackcheck-bundle ([0-9a-f]{16})\n/.exec(source.toString('latin1', 0, 40));
  const hash = id ? id[1] : require('node:crypto').createHash('sha1').update(source).digest('hex').slice(0, 16);
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
  if (writeCache && (!cachedData || script.cachedDataRejected))
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
    const args = process.argv.slice(2);
    const name = snapshotOnly(args) ? 'cli-snapshot.js' : 'cli.js';
    const bundle = join(__dirname, '..', 'dist', name);
    // The cache keeps what the run that wrote it compiled: one that only prints help, the version or
    // an explanation would leave a cache that later runs use but that spares them little.
    const printsOnly = args.length === 0 || ['explain', 'help', '--help', '-h', '--version', '-V'].includes(args[0]);
    if (existsSync(bundle)) return loadBundle(bundle, !printsOnly);
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

// Once main has settled the report is written: exit with its code as soon as stdout and stderr are
// flushed, whatever sockets a hung endpoint still holds open (`serve` settles only when it stops).
function exitWith(code) {
  process.exitCode = code;
  let pending = 2;
  const done = (name) => (err) => {
    if (err) onWriteError(err, name);
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done('stdout'));
  process.stderr.write('', done('stderr'));
}

main(process.argv.slice(2)).then(exitWith, (err) => {
  process.stderr.write(`stackcheck: internal error: ${err && err.message ? err.message : err}\n`);
  exitWith(2);
});
