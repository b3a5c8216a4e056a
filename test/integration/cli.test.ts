/**
 * The CLI as users run it: `node bin/stackcheck.js` from the compiled dist/ (built once here).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_VALUES_ARGS } from '../support/cli';
import { SlackCapture } from '../support/fakes/slack';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/stackcheck.js');
const CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const LAB = LAB_VALUES_ARGS;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  // The bundles bin/stackcheck.js loads (npm run build makes both).
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-cli.js')], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

describe('cli process', () => {
  it('npm start equivalent: verifies the healthy example and exits 0', () => {
    const r = cli(['verify', '--snapshot', 'examples/healthy-snapshot.json', ...LAB]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS');
  });

  it('reads the values piped through envsubst on standard input (-f -), as the lab installed them', () => {
    const piped = spawnSync(
      'sh',
      [
        '-c',
        'envsubst < examples/monitor-values.yaml | "$NODE" bin/stackcheck.js verify --snapshot examples/healthy-snapshot.json -f - ' +
          '--set prometheus.prometheusSpec.scrapeInterval=15s --set prometheus.prometheusSpec.evaluationInterval=15s --format json',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NODE: process.execPath, MyDomain: 'example.com', CERT_ARN: CERT, NO_COLOR: '1' },
        timeout: 60_000,
      },
    );
    expect(piped.stderr).not.toMatch(/internal error/);
    expect(piped.status).toBe(0);
    const fromFile = cli(['verify', '--snapshot', 'examples/healthy-snapshot.json', ...LAB, '--format', 'json']);
    expect(piped.stdout).toBe(fromFile.out);
    // Standard input piped into the process, read once: a second '-' is refused (exit 2).
    const twice = spawnSync(
      process.execPath,
      [BIN, 'verify', '--snapshot', 'examples/healthy-snapshot.json', '-f', '-', '--values', '-'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        input: 'a: 1\n',
        timeout: 60_000,
      },
    );
    expect(twice.status).toBe(2);
    expect(twice.stderr).toBe(
      'stackcheck: --values -: standard input can be read only once (already read by --values -)\n',
    );
  });

  it('exits 1 on drift and prints JSON that matches the contract', () => {
    const r = cli(['verify', '--snapshot', 'examples/drifted-snapshot.json', ...LAB, '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ tool: 'stackcheck', cluster: 'myeks', summary: { fail: 7 } });
  });

  it('exits 2 without a stack trace on a bad values file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    writeFileSync(join(dir, 'v.yaml'), '{ not: [yaml');
    const r = cli(['verify', '--snapshot', 'examples/healthy-snapshot.json', '--values', join(dir, 'v.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('v.yaml: not valid YAML');
    expect(r.err).not.toMatch(/\s+at .*\.js:\d+/);
  });

  it('writes a self-contained HTML report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    const r = cli([
      'verify',
      '--snapshot',
      'examples/drifted-snapshot.json',
      ...LAB,
      '--format',
      'html',
      '--output',
      join(dir, 'r.html'),
    ]);
    expect(r.code).toBe(1);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:/);
  });

  it('prints --version and help', () => {
    expect(cli(['--version']).out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('verify');
  });
});

describe('cli process: notify and state from the config file', () => {
  // bin/stackcheck.js picks the snapshot bundle (no notifier, no DynamoDB store) from the arguments;
  // a config file can ask for either too: `notify: [slack]` with --snapshot and no flag for it.
  it('sends what the config file asks for on a --snapshot run (the bundle that can)', async () => {
    const slack = new SlackCapture();
    await slack.start();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'stackcheck-cli-config-'));
      writeFileSync(join(dir, '.stackcheck.yaml'), 'verify:\n  notify: [slack]\n  notifyAlways: true\n');
      const snapshot = join(ROOT, 'examples/healthy-snapshot.json');
      const run = (args: string[]) =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const child = execFile(
            process.execPath,
            [BIN, 'verify', '--snapshot', snapshot, '-o', 'json', ...args],
            { cwd: dir, env: { ...process.env, SLACK_WEBHOOK_URL: slack.url }, timeout: 60_000 },
            (_e, _out, err) => resolve({ code: child.exitCode, err }),
          );
        });
      // The default ./.stackcheck.yaml, then the same file named by --config, with --notify-always.
      const byDefault = await run([]);
      expect(byDefault.err).not.toContain('not available in this build');
      expect(byDefault.code).toBe(0);
      expect(slack.posts.length).toBe(1);
      const named = await run(['--config', join(dir, '.stackcheck.yaml'), '--notify-always']);
      expect(named.code).toBe(0);
      expect(slack.posts.length).toBe(2);
    } finally {
      await slack.stop();
    }
  });
});
