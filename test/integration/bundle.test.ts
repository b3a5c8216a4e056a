/**
 * The deployable artifact works: the verify function bundled as serverless-esbuild bundles it
 * (minified CJS, @kubernetes/client-node's ES modules included, @aws-sdk/* left to the runtime) is
 * loaded in a fresh Node process and invoked against the loopback fakes.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleFunctions } from '../support/bundle';
import { startLabFakes, type LabFakes } from '../support/fakes/lab';

const ROOT = join(__dirname, '../..');
let lab: LabFakes;
let dir: string;

beforeAll(async () => {
  lab = await startLabFakes();
  dir = dirname((await bundleFunctions()).verify);
  // The runtime's AWS SDK: resolve @aws-sdk/* from this project's node_modules.
  writeFileSync(
    join(dir, 'invoke.js'),
    `const Module = require('node:module');
const paths = [${JSON.stringify(join(ROOT, 'node_modules'))}];
const orig = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request.startsWith('@aws-sdk/')) return orig.call(this, request, { ...parent, paths }, ...rest);
  return orig.call(this, request, parent, ...rest);
};
const [fn, event] = process.argv.slice(2);
const { handler } = require('./' + fn + '.js');
const context = { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 60000 };
Promise.resolve(handler(JSON.parse(event), context)).then(
  (r) => { process.stdout.write('RESULT ' + JSON.stringify(r) + '\\n'); process.exit(0); },
  (e) => { process.stdout.write('ERROR ' + e.message + '\\n'); process.exit(1); },
);
`,
  );
}, 120_000);

afterAll(async () => {
  await lab.stop();
});

function invoke(fn: string, event: unknown, env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'invoke.js'), fn, JSON.stringify(event)], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...lab.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', () => resolve(out));
  });
}

describe('bundled functions', () => {
  it('verify: the minified bundle authenticates to the fake EKS and verifies the lab', async () => {
    const out = await invoke(
      'verify',
      { cluster: 'myeks', notify: 'never' },
      { CLUSTER_NAME: 'myeks', DOMAIN: 'example.com', SKIP_FAMILIES: '["prometheus","grafana","heartbeat"]' },
    );
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line).toBeDefined();
    const result = JSON.parse(line!.slice(7));
    expect(result).toMatchObject({ outcome: 'pass', cluster: 'myeks', summary: { error: 0 } });
    expect(result.summary.pass).toBeGreaterThan(40);
  }, 60_000);

  it('webhook: the bundle answers a health check and refuses an unauthenticated post', async () => {
    const event = (method: string, path: string, headers: Record<string, string> = {}) => ({
      version: '2.0',
      rawPath: path,
      headers,
      body: '{}',
      isBase64Encoded: false,
      requestContext: { http: { method, path } },
    });
    const health = await invoke('alertmanager-webhook', event('GET', '/healthz'), { ALERTMANAGER_TOKEN: 't' });
    expect(health).toContain('"statusCode":200');
    const denied = await invoke('alertmanager-webhook', event('POST', '/alertmanager'), { ALERTMANAGER_TOKEN: 't' });
    expect(denied).toContain('"statusCode":401');
  }, 60_000);
});
