/**
 * One plan, end to end through the loopback fakes: the collection is derived from the selected
 * checks alone, so a healthy install raises no false alarm whatever is selected, and selecting
 * families only removes results. The lab's release carries its full manifest, as Helm writes it.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { openLiveSession } from '../../lib/collect';
import { FAMILIES, type Family, type Result } from '../../lib/checks/types';
import { parseVerifyRequest, verify, type RawVerifyInput } from '../../lib/verify';
import { driftedExample } from '../../scripts/make-examples';
import { LAB_CERT_ARN } from '../support/factories/expected';
import { startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';

const LIVE: RawVerifyInput = { cluster: 'myeks', region: 'ap-northeast-2' };
const LAB_VALUES: RawVerifyInput = {
  values: [join(__dirname, '../../examples/monitor-values.yaml')],
  sets: ['prometheus.prometheusSpec.scrapeInterval=15s', 'prometheus.prometheusSpec.evaluationInterval=15s'],
  env: { MyDomain: 'example.com', CERT_ARN: LAB_CERT_ARN },
};
// Prometheus and Grafana are probed at https://prometheus.<domain>: no such peer here (the real
// binaries are tested in runtime.test.ts), so the runtime families are left out of these runs.
const RUNTIME: Family[] = ['prometheus', 'grafana'];
const CLUSTER_FAMILIES = FAMILIES.filter((f) => !RUNTIME.includes(f));
const run = (raw: RawVerifyInput) =>
  verify(parseVerifyRequest({ ...LIVE, ...(raw.checks ? {} : { skip: RUNTIME }), ...raw }), {
    openSession: openLiveSession,
  });

const notPassing = (rs: Result[]) => rs.filter((r) => r.status === 'fail' || r.status === 'error');
const show = (rs: Result[]) => rs.map((r) => `${r.status} ${r.code} ${r.resource}: ${r.message}`);

describe('a healthy install checked live', () => {
  let lab: LabFakes;
  let restore: () => void;
  beforeAll(async () => {
    lab = await startLabFakes();
    restore = useEnv(lab.env);
  });
  afterAll(async () => {
    restore();
    await lab.stop();
  });

  it.each([
    ['the release’s own values', {}],
    ['the lab values file and --set flags', LAB_VALUES],
  ])('fails nothing but WRK008 with %s, at any --fail-on', async (_name, raw) => {
    for (const failOn of ['critical', 'warning']) {
      const out = await run({ ...raw, failOn });
      expect(show(notPassing(out.report.results))).toEqual([
        expect.stringMatching(
          /^fail WRK008 StatefulSet\/monitoring\/prometheus-kube-prometheus-stack-prometheus: external URL is http:/,
        ),
      ]);
      // HELM101 compared the manifest with the live objects it names, and they agree.
      expect(out.report.results.find((r) => r.code === 'HELM101')).toMatchObject({ status: 'pass' });
      expect(out.exitCode).toBe(failOn === 'warning' ? 1 : 0);
    }
  });

  it('reads the release once and each part once, with the values file or without', async () => {
    lab.kube.requests.length = 0;
    await run({});
    const lists = lab.kube.requests.map((r) => r.path);
    expect(lists.length).toBe(new Set(lists).size);
  });

  it.each([['accessDenied'], ['error500'], ['malformed']] as const)(
    'with no values file and a release that cannot be read (%s), every check reports the failed read: none is judged against the chart defaults',
    async (kind) => {
      lab.kube.faults.set('list secrets', { kind });
      try {
        const out = await run({});
        const statuses = new Set(out.report.results.map((r) => r.status));
        expect([...statuses]).toEqual(['error']);
        expect(out.report.results[0].message).toMatch(
          /list secrets \(monitoring, owner=helm,name=kube-prometheus-stack\) failed/,
        );
        expect(out.notes.join('\n')).toMatch(/the deployed release could not be read/);
        expect(out.exitCode).toBe(1);
      } finally {
        lab.kube.faults.clear();
      }
    },
  );

  it.each([
    ['without a values file (the release is read first)', {}],
    ['with the lab values file', LAB_VALUES],
  ])('parses the release manifest (HELM101) while the ALB chain is still being read, %s', async (_name, raw) => {
    const deployed = lab.kube.state.helmReleases.find((r) => r.status === 'deployed')!;
    const saved = deployed.manifest;
    // A manifest no earlier run parsed (the parsed documents are kept for the next run).
    deployed.manifest = `${saved}\n# parsed ahead ${process.hrtime.bigint()}\n`;
    const yaml = jest.requireActual<typeof import('js-yaml')>('js-yaml');
    const rulesAnswered = () => lab.aws.calls.filter((c) => c.action === 'DescribeRules').length;
    const before = rulesAnswered();
    const calls: number[] = [];
    const original = yaml.load;
    const spied = jest.spyOn(yaml, 'load').mockImplementation((text, opts) => {
      calls.push(rulesAnswered() - before);
      return original(text, opts);
    });
    // The ALB's reads are slow (DescribeLoadBalancers → DescribeListeners → DescribeRules), the
    // Kubernetes ones are not.
    lab.aws.faults.latencyMs = 150;
    try {
      const out = await run({ ...raw, checks: ['helm', 'alb'] });
      expect(out.report.results.find((r) => r.code === 'HELM101')).toMatchObject({ status: 'pass' });
      expect(calls.length).toBeGreaterThan(0);
      // Every document was parsed before any DescribeRules answer was in.
      expect(calls.every((n) => n === 0)).toBe(true);
      expect(rulesAnswered() - before).toBeGreaterThan(0);
    } finally {
      lab.aws.faults.latencyMs = 0;
      spied.mockRestore();
      deployed.manifest = saved;
    }
  });

  it('never fails a result for any selection of families (--checks or --skip)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(CLUSTER_FAMILIES, { minLength: 1 }), fc.boolean(), async (families, asSkip) => {
        const selection: RawVerifyInput = asSkip ? { skip: [...families, ...RUNTIME] } : { checks: families };
        const out = await run(selection);
        const bad = notPassing(out.report.results).filter((r) => r.code !== 'WRK008');
        expect(show(bad)).toEqual([]);
        const ran = new Set(out.report.results.map((r) => r.check));
        for (const f of families) expect(ran.has(f)).toBe(!asSkip);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('a drifted install checked live', () => {
  let lab: LabFakes;
  let restore: () => void;
  beforeAll(async () => {
    const drifted = driftedExample();
    lab = await startLabFakes({ kubernetes: drifted.kubernetes, awsState: drifted.aws });
    restore = useEnv(lab.env);
  });
  afterAll(async () => {
    restore();
    await lab.stop();
  });

  it('fails the same results of a family whether it runs alone or with all the others', async () => {
    const all = await run(LAB_VALUES);
    const key = (r: Result) => `${r.status} ${r.code} ${r.resource} ${r.message}`;
    expect(notPassing(all.report.results).length).toBeGreaterThan(3);
    for (const family of CLUSTER_FAMILIES) {
      const alone = await run({ ...LAB_VALUES, checks: [family] });
      const mine = (rs: Result[]) =>
        notPassing(rs)
          .filter((r) => r.check === family)
          .map(key);
      expect({ family, failing: mine(alone.report.results) }).toEqual({ family, failing: mine(all.report.results) });
      expect(alone.report.results.every((r) => r.check === (family as Family))).toBe(true);
    }
  }, 60_000);
});
