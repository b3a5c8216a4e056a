import { HEALTHY_EXAMPLE, LAB_VALUES_FILE, runMain } from '../../support/cli';
/**
 * The CLI's values flags through main(): -f/--values - from standard input, the --set family, and
 * a YAML 1.1 spelling that Helm reads the same as the release recorded it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readBoundedStream } from '../../../lib/cli/main';
import { LAB_CERT_ARN } from '../../support/factories/expected';

const HEALTHY = HEALTHY_EXAMPLE;
const VALUES = LAB_VALUES_FILE;
const SETS = [
  '--set',
  'prometheus.prometheusSpec.scrapeInterval=15s',
  '--set',
  'prometheus.prometheusSpec.evaluationInterval=15s',
];
const ENV = ['--env', 'MyDomain=example.com', '--env', `CERT_ARN=${LAB_CERT_ARN}`];

/** The lab's file after `envsubst` (what Helm received on standard input). */
const substituted = () =>
  readFileSync(VALUES, 'utf8').replaceAll('$MyDomain', 'example.com').replaceAll('$CERT_ARN', LAB_CERT_ARN);

const run = (args: string[], stdin?: string) => runMain(args, { stdin });

const result = (out: string, code: string) =>
  (JSON.parse(out).results as Array<{ code: string; status: string; message: string }>).find((r) => r.code === code);

describe('cli: values from standard input', () => {
  it('-f - reads the piped values once and gives the same report as the file with --env', async () => {
    const fromFile = await run([
      'verify',
      '--snapshot',
      HEALTHY,
      '--values',
      VALUES,
      ...ENV,
      ...SETS,
      '--format',
      'json',
    ]);
    const piped = await run(['verify', '--snapshot', HEALTHY, '-f', '-', ...SETS, '--format', 'json'], substituted());
    expect(fromFile.code).toBe(0);
    expect(piped.code).toBe(0);
    expect(piped.stdinReads).toBe(1);
    expect(piped.out).toBe(fromFile.out);
    expect(result(piped.out, 'HELM003')?.status).toBe('pass');
  });

  it('--values - combines with other files in the order given (later wins)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    const override = join(dir, 'retention.yaml');
    writeFileSync(override, 'prometheus:\n  prometheusSpec:\n    retention: 9d\n');
    const stdinFirst = await run(
      ['verify', '--snapshot', HEALTHY, '--values', '-', '--values', override, ...SETS, '--format', 'json'],
      substituted(),
    );
    expect(result(stdinFirst.out, 'HELM003')).toMatchObject({ status: 'fail' });
    expect(result(stdinFirst.out, 'HELM003')?.message).toMatch(/prometheus\.prometheusSpec\.retention/);
    const stdinLast = await run(
      ['verify', '--snapshot', HEALTHY, '--values', override, '--values', '-', ...SETS, '--format', 'json'],
      substituted(),
    );
    expect(result(stdinLast.out, 'HELM003')?.status).toBe('pass');
  });

  it('standard input is not read when no flag asks for it', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, '--values', VALUES, ...ENV, ...SETS], 'ignored: [');
    expect(r.code).toBe(0);
    expect(r.stdinReads).toBe(0);
  });

  it('refuses to wait on a terminal for --values - (exit 2 with how to pipe)', async () => {
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    await expect(readBoundedStream(tty, 1024)).rejects.toThrow(
      /--values - \(or --set-file KEY=-\): standard input is a terminal; pipe the values in/,
    );
  });

  it('refuses --values - twice (standard input is read once), exit 2', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, '-f', '-', '-f', '-'], substituted());
    expect(r.code).toBe(2);
    expect(r.err).toBe('stackcheck: --values -: standard input can be read only once (already read by --values -)\n');
  });

  it('names standard input when what is piped is not YAML', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, '--values', '-'], 'prometheus: [unclosed\n');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --values -: not valid YAML \(line \d+, column \d+\)/);
  });
});

describe('cli: values as Helm reads them', () => {
  it('a YAML 1.1 spelling (enabled: yes, create: no) is what Helm recorded: HELM003 passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    const file = join(dir, 'values.yaml');
    const yaml11 = readFileSync(VALUES, 'utf8')
      .replaceAll('enabled: true', 'enabled: yes')
      .replaceAll('enabled: false', 'enabled: off')
      .replace('create: false', 'create: no');
    for (const spelling of ['enabled: yes', 'enabled: off', 'create: no']) expect(yaml11).toContain(spelling);
    writeFileSync(file, yaml11);
    const r = await run(['verify', '--snapshot', HEALTHY, '--values', file, ...ENV, ...SETS, '--format', 'json']);
    expect(r.err).toBe(
      'note: grafana.ingress.paths is not read by the grafana subchart (it uses grafana.ingress.path); ignored\n',
    );
    expect(r.code).toBe(0);
    expect(result(r.out, 'HELM003')?.status).toBe('pass');
    expect(JSON.parse(r.out).summary).toMatchObject({ pass: 62, fail: 1 });
  });

  it('the --set family gives the values the release recorded; a different value is HELM003', async () => {
    const same = await run([
      'verify',
      '--snapshot',
      HEALTHY,
      '--values',
      VALUES,
      ...ENV,
      '--set-string',
      'prometheus.prometheusSpec.scrapeInterval=15s',
      '--set-json',
      'prometheus.prometheusSpec.evaluationInterval="15s"',
      '--format',
      'json',
    ]);
    expect(result(same.out, 'HELM003')?.status).toBe('pass');
    const other = await run([
      'verify',
      '--snapshot',
      HEALTHY,
      '--values',
      VALUES,
      ...ENV,
      ...SETS,
      '--set-literal',
      'grafana.defaultDashboardsTimezone=Asia/Seoul,UTC',
      '--format',
      'json',
    ]);
    expect(result(other.out, 'HELM003')?.status).toBe('fail');
    expect(result(other.out, 'HELM003')?.message).toMatch(/grafana\.defaultDashboardsTimezone/);
  });

  it('verify --help lists every values flag with its Helm meaning', async () => {
    const r = await run(['verify', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '-f, --values <file>',
      '--set <path=value>',
      '--set-string <path=value>',
      '--set-json <path=json>',
      '--set-file <path=file>',
      '--set-literal <path=value>',
    ])
      expect(r.out).toContain(flag);
    expect(r.out).toMatch(/'-' reads standard input/);
    expect(r.out).toMatch(/--set-json, --set, --set-string, --set-file, --set-literal/);
  });
});

describe('cli: --set-json errors under a secret key', () => {
  it.each([
    ['an unquoted string', 'grafana.adminPassword=canary-json-8d1f'],
    ['an unterminated object', 'grafana.adminPassword={canary-json-8d1f'],
    ['a list item', 'grafana.tokens[0]=canary-json-8d1f'],
  ])('%s: exit 2 naming the flag and the key, without the value', async (_what, arg) => {
    const r = await run(['verify', '--snapshot', HEALTHY, '--set-json', arg]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --set-json .*invalid JSON value \(not shown: \S+ holds a secret/);
    expect(r.err).not.toContain('canary-json-8d1f');
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a key that is no secret still shows what JSON.parse saw', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, '--set-json', 'grafana.timezone=Asia/Seoul']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid JSON value: Unexpected token');
  });
});
