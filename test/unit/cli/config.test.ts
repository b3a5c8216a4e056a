import { DRIFTED_EXAMPLE, HEALTHY_EXAMPLE, LAB_VALUES_ARGS, ROOT, runMain } from '../../support/cli';
/** The config file through the CLI (main()): mutes, overrides, defaults, errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_CERT_ARN } from '../../support/factories/expected';

const HEALTHY = HEALTHY_EXAMPLE;
const DRIFTED = DRIFTED_EXAMPLE;
const LAB = LAB_VALUES_ARGS;
const WRK008 = 'StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus';

const run = (args: string[], cwd = mkdtempSync(join(tmpdir(), 'stackcheck-cwd-'))) => runMain(args, { cwd });

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stackcheck-config-'));
  writeFileSync(join(dir, '.stackcheck.yaml'), text);
  return join(dir, '.stackcheck.yaml');
}

const muteWrk008 = (until: string) =>
  `mutes:\n  - code: WRK008\n    resource: StatefulSet/monitoring/prometheus-*\n    reason: lab values set no externalUrl\n    until: ${until}\n`;

type Doc = {
  summary: Record<string, number>;
  results: Array<{
    code: string;
    status: string;
    severity: string;
    resource: string;
    expected?: unknown;
    message: string;
    muted?: unknown;
    muteExpired?: unknown;
  }>;
};

describe('cli: the config file', () => {
  it('the healthy example with WRK008 muted passes --fail-on warning; the JSON shows it muted with its reason', async () => {
    const unmuted = await run(['verify', '--snapshot', HEALTHY, ...LAB, '--fail-on', 'warning', '-o', 'json']);
    expect(unmuted.code).toBe(1);

    const r = await run([
      'verify',
      '--config',
      configFile(muteWrk008('2099-12-31')),
      '--snapshot',
      HEALTHY,
      ...LAB,
      '--fail-on',
      'warning',
      '-o',
      'json',
    ]);
    expect(r.err).not.toMatch(/expired|stackcheck:/);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Doc;
    expect(doc.summary).toMatchObject({ fail: 0, error: 0, muted: 1 });
    expect(doc.results.find((x) => x.code === 'WRK008')).toMatchObject({
      status: 'fail',
      resource: WRK008,
      muted: { reason: 'lab values set no externalUrl', until: '2099-12-31' },
    });
  });

  it('the same mute with an expired until fails again and says the mute expired', async () => {
    const r = await run([
      'verify',
      '--config',
      configFile(muteWrk008('2020-01-31')),
      '--snapshot',
      HEALTHY,
      ...LAB,
      '--fail-on',
      'warning',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `note: the mute of WRK008 ${WRK008} expired on 2020-01-31 ("lab values set no externalUrl"): it counts again`,
    );
    const doc = JSON.parse(r.out) as Doc;
    expect(doc.summary).toMatchObject({ fail: 1, muted: 0 });
    const wrk = doc.results.find((x) => x.code === 'WRK008');
    expect(wrk).toMatchObject({
      status: 'fail',
      muteExpired: { reason: 'lab values set no externalUrl', until: '2020-01-31' },
    });
    expect(wrk?.muted).toBeUndefined();
    expect(wrk?.message).toContain('the mute for this result expired on 2020-01-31');
  });

  it("overrides: CRT002 warning days 60 (critical 7) make the drifted example's 10-day certificate a warning", async () => {
    const before = JSON.parse((await run(['verify', '--snapshot', DRIFTED, ...LAB, '-o', 'json'])).out) as Doc;
    expect(before.results.find((x) => x.code === 'CRT002')).toMatchObject({
      status: 'fail',
      severity: 'critical',
      expected: 'at least 30 days of validity',
    });
    const cfg = configFile(
      'overrides:\n  thresholds:\n    certificateWarningDays: 60\n    certificateCriticalDays: 7\n',
    );
    const r = await run(['verify', '--config', cfg, '--snapshot', DRIFTED, ...LAB, '-o', 'json']);
    expect(r.code).toBe(1); // the other drift is still critical
    const crt = (JSON.parse(r.out) as Doc).results.find((x) => x.code === 'CRT002');
    expect(crt).toMatchObject({
      status: 'fail',
      severity: 'warning',
      expected: 'at least 60 days of validity',
      message: 'expires in 10 days (2026-12-04T09:00:00.000Z)',
    });
  });

  it('overrides: a severity per code changes how a result counts', async () => {
    const cfg = configFile('overrides:\n  severity:\n    WRK008: critical\n');
    const r = await run(['verify', '--config', cfg, '--snapshot', HEALTHY, ...LAB, '-o', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as Doc).results[0]).toMatchObject({ code: 'WRK008', severity: 'critical' });
  });

  it('a malformed config is exit 2 naming the file, the line and the key', async () => {
    const cfg = configFile('mutes:\n  - code: WRK008\n    resource: "*"\n');
    const r = await run(['verify', '--config', cfg, '--snapshot', HEALTHY]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stackcheck: ${cfg}:2: mutes[0].reason: required: say why the finding is accepted\n`);
    expect(r.out).toBe('');
    const typo = configFile('verify:\n  failOn: sometimes\n');
    const t = await run(['verify', '--config', typo, '--snapshot', HEALTHY]);
    expect(t.code).toBe(2);
    expect(t.err).toContain(`${typo}:2: verify.failOn: "sometimes" is not one of critical, warning, never`);
  });

  it('reads .stackcheck.yaml from the working directory; its verify defaults apply, flags win', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-cwd-'));
    writeFileSync(
      join(dir, '.stackcheck.yaml'),
      [
        'verify:',
        `  snapshot: ${HEALTHY}`,
        `  values: [${join(ROOT, 'examples/monitor-values.yaml')}]`,
        `  env: {MyDomain: example.com, CERT_ARN: "${LAB_CERT_ARN}"}`,
        '  set: [prometheus.prometheusSpec.scrapeInterval=15s, prometheus.prometheusSpec.evaluationInterval=15s]',
        '  failOn: warning',
        '  format: json',
        '',
      ].join('\n'),
    );
    const fromFile = await run(['verify'], dir);
    expect(fromFile.code).toBe(1); // failOn warning from the file: WRK008 fails
    expect(JSON.parse(fromFile.out).failOn).toBe('warning');
    const flagWins = await run(['verify', '--fail-on', 'critical', '--format', 'text'], dir);
    expect(flagWins.code).toBe(0);
    expect(flagWins.out).toContain('PASS (fail on critical)');
  });

  it("the lab's example config (examples/stackcheck.yaml) verifies the healthy example: WRK008 muted, exit 0", async () => {
    const r = await run(['verify', '--config', join(ROOT, 'examples/stackcheck.yaml'), '--snapshot', HEALTHY]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\nMuted \(1\)\n {2}✗ WRK008 /);
    expect(r.out).toContain('PASS (fail on warning)');
  });
});

describe('cli: --fail-on never', () => {
  it('reports only: exit 0 on the drifted example, still the full report', async () => {
    const r = await run(['verify', '--snapshot', DRIFTED, ...LAB, '--fail-on', 'never', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ failOn: 'never', outcome: 'pass', summary: { fail: 7 } });
  });

  it('still exits 2 on bad usage', async () => {
    const r = await run(['verify', '--snapshot', DRIFTED, '--fail-on', 'never', '--checks', 'dns']);
    expect(r.code).toBe(2);
  });
});

describe('cli: the terminal report', () => {
  it('shows family counts and what is not a pass; -v shows the passes too', async () => {
    const r = await run(['verify', '--snapshot', DRIFTED, ...LAB]);
    expect(r.out).toMatch(/\nworkloads +\d+ pass, 3 fail, 1 skip\n/);
    expect(r.out).not.toContain('✓');
    const v = await run(['verify', '--snapshot', DRIFTED, ...LAB, '-v']);
    expect(v.out).toMatch(/\nPassed \(\d+\)\n {2}✓ /);
  });
});
