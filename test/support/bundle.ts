/**
 * The Lambda functions bundled as serverless.yml bundles them (serverless-esbuild: minified CJS for
 * node22, @aws-sdk/* left to the runtime, names kept, the plugins of config/esbuild-plugins.js),
 * for the bundle test and the benchmark.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = join(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lambdaPlugins = require('../../config/esbuild-plugins.js') as Plugin[];

export const FUNCTIONS = ['verify', 'alertmanager-webhook'] as const;

/** Bundles each function into a new temporary directory; returns the file of each. */
export async function bundleFunctions(): Promise<Record<(typeof FUNCTIONS)[number], string>> {
  const dir = mkdtempSync(join(tmpdir(), 'stackcheck-bundles-'));
  const out = {} as Record<(typeof FUNCTIONS)[number], string>;
  for (const fn of FUNCTIONS) {
    out[fn] = join(dir, `${fn}.js`);
    await build({
      entryPoints: [join(ROOT, 'functions', `${fn}.ts`)],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      outfile: out[fn],
      external: ['@aws-sdk/*'],
      logLevel: 'error',
      keepNames: true,
      plugins: lambdaPlugins,
    });
  }
  return out;
}
