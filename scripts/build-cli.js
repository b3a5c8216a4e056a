#!/usr/bin/env node
'use strict';
/**
 * Bundles the CLI (run by `npm run build`, so by `npm ci` through `prepare`): Node then reads and
 * compiles one minified file instead of resolving and loading the ~1 500 modules of dist/ and
 * node_modules, which is most of a short run's time. Two bundles of lib/cli/main.ts:
 * - dist/cli.js: everything (live collection, notify, serve).
 * - dist/cli-snapshot.js: without the modules only live runs, notifications, the DynamoDB state
 *   store and `serve` load (the AWS SDK and client-node are most of the full bundle's size):
 *   `verify --snapshot …` and `explain` compile a quarter of the code.
 * bin/stackcheck.js picks one by the arguments; dist/lib/cli/main.js stays the fallback.
 * Same esbuild plugins as the Lambda bundles (config/esbuild-plugins.js).
 */
const { build } = require('esbuild');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const plugins = require('../config/esbuild-plugins.js');

/** Modules the snapshot bundle leaves out; bin/stackcheck.js never runs that bundle where they load. */
const LIVE_ONLY = ['lib/collect/index.ts', 'lib/notify/cli.ts', 'lib/state/dynamodb.ts', 'lib/cli/serve.ts'];
const liveOnly = {
  name: 'live-only',
  setup(b) {
    const files = new Set(LIVE_ONLY.map((f) => join(ROOT, f)));
    b.onLoad({ filter: /\.ts$/ }, (args) =>
      files.has(args.path)
        ? {
            loader: 'js',
            contents: `throw new Error(${JSON.stringify(`${args.path.slice(ROOT.length + 1)} is not in the snapshot bundle of the CLI (set STACKCHECK_UNBUNDLED=1 and report this)`)});`,
          }
        : undefined,
    );
  },
};

const common = {
  entryPoints: [join(ROOT, 'lib/cli/main.ts')],
  bundle: true,
  minify: true,
  keepNames: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'error',
};

Promise.all([
  build({ ...common, outfile: join(ROOT, 'dist/cli.js'), plugins }),
  build({ ...common, outfile: join(ROOT, 'dist/cli-snapshot.js'), plugins: [...plugins, liveOnly] }),
]).catch((err) => {
  process.stderr.write(`build-cli: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
