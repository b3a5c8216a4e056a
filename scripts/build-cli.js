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
 * The esbuild plugins of the Lambda bundles (config/esbuild-plugins.js) but client-node-eks-only, and:
 * - lazy-child-process: commander loads node:child_process when it starts (for executable
 *   subcommands, which stackcheck has none of); the bundle loads it on the first spawn instead.
 * Each bundle starts with `// stackcheck-bundle <hash>`, the SHA-1 of what follows (16 hex digits):
 * bin/stackcheck.js names the bundle's V8 code cache by it without hashing 2 MB (and loading
 * node:crypto) at every start.
 */
const { createHash } = require('node:crypto');
const { Buffer } = require('node:buffer');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { build } = require('esbuild');

const ROOT = join(__dirname, '..');
// The Lambda bundles' plugins but client-node-eks-only: the CLI reads kubeconfigs.
const plugins = require('../config/esbuild-plugins.js').filter((p) => p.name !== 'client-node-eks-only');

/**
 * Modules the snapshot bundle leaves out; bin/stackcheck.js never runs that bundle where they load.
 * Those required when needed become a module that throws; the collector, which main.ts imports,
 * becomes functions of the same names that throw when called.
 */
const LIVE_ONLY = {
  'lib/collect/index.ts': ['openLiveSession'],
  'lib/notify/cli.ts': [],
  'lib/state/dynamodb.ts': [],
  'lib/cli/serve.ts': [],
};
const liveOnly = {
  name: 'live-only',
  setup(b) {
    const files = new Map(Object.entries(LIVE_ONLY).map(([f, names]) => [join(ROOT, f), names]));
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const names = files.get(args.path);
      if (!names) return undefined;
      const thrown = `throw new Error(${JSON.stringify(`${args.path.slice(ROOT.length + 1)} is not in the snapshot bundle of the CLI (set STACKCHECK_UNBUNDLED=1 and report this)`)});`;
      return {
        loader: 'js',
        contents: names.length === 0 ? thrown : names.map((n) => `export function ${n}() { ${thrown} }`).join('\n'),
      };
    });
  },
};

const CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await require('node:fs/promises').readFile(args.path, 'utf8');
      if (!source.includes(CHILD_PROCESS))
        throw new Error(`${args.path} no longer has \`${CHILD_PROCESS}\`: update lazy-child-process`);
      return {
        loader: 'js',
        contents: source.replace(
          CHILD_PROCESS,
          "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };",
        ),
      };
    });
  },
};

/** Writes a bundle behind its id line (bin/stackcheck.js reads it). */
function write(result) {
  for (const file of result.outputFiles) {
    const id = createHash('sha1').update(file.contents).digest('hex').slice(0, 16);
    writeFileSync(file.path, Buffer.concat([Buffer.from(`// stackcheck-bundle ${id}\n`), file.contents]));
  }
}

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
  write: false,
};

Promise.all([
  build({ ...common, outfile: join(ROOT, 'dist/cli.js'), plugins: [...plugins, lazyChildProcess] }).then(write),
  build({
    ...common,
    outfile: join(ROOT, 'dist/cli-snapshot.js'),
    plugins: [...plugins, lazyChildProcess, liveOnly],
  }).then(write),
]).catch((err) => {
  process.stderr.write(`build-cli: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
