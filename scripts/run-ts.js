#!/usr/bin/env node
'use strict';
// Runs a TypeScript script without a build step: `node scripts/run-ts.js scripts/x.ts [args]`.
// A require hook compiles .ts (and the ESM-only dependencies) to CommonJS with esbuild.
const { transformSync } = require('esbuild');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const compile = (filename, loader) =>
  transformSync(fs.readFileSync(filename, 'utf8'), { loader, format: 'cjs', target: 'node20', sourcefile: filename })
    .code;

require.extensions['.ts'] = function loadTs(module, filename) {
  module._compile(compile(filename, 'ts'), filename);
};

const script = process.argv[2];
if (!script) {
  process.stderr.write('usage: node scripts/run-ts.js <script.ts> [args…]\n');
  process.exit(2);
}
process.argv.splice(1, 1);
Module.runMain.call(null, path.resolve(script));
