/**
 * Live collection against the loopback fakes: the real AWS SDK v3 clients and the real
 * @kubernetes/client-node, over HTTP(S), authenticated with a real EKS token.
 */
import { planFor } from '../../lib/verify/plan';
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import { FAMILIES } from '../../lib/checks/types';
import { collectLive } from '../../lib/collect';
import { CollectError } from '../../lib/errors';
import { LAB_CERT_ARN, labExpected } from '../support/factories/expected';
import { LAB_HINTS, startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';

const HINTS = LAB_HINTS;
const OPTS = { inputs: planFor([...FAMILIES]).inputs, callTimeoutMs: 2_000 };
const TARGET = { mode: 'eks' as const, cluster: 'myeks', region: 'ap-northeast-2' };

let lab: LabFakes;
let restore: () => void;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  lab = await startLabFakes();
  restore = useEnv(lab.env);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  restore();
  await lab.stop();
});
afterEach(() => {
  lab.aws.faults.clear();
  lab.kube.faults.clear();
  lab.aws.calls.length = 0;
  lab.kube.requests.length = 0;
});

describe('live collection on the healthy lab', () => {
  it('collects everything with 0 errors, and the checks pass as on the bundled example', async () => {
    const s = await collectLive(TARGET, HINTS, OPTS);
    expect(s.errors).toEqual([]);
    expect(s.kubernetes.statefulSets.map((o) => o.metadata.name)).toEqual([
      'prometheus-kube-prometheus-stack-prometheus',
    ]);
    expect(s.kubernetes.helmReleases.map((r) => `${r.revision} ${r.status}`).sort()).toEqual([
      '1 superseded',
      '2 deployed',
    ]);
    expect(s.aws.listeners).toHaveLength(2);
    expect(Object.keys(s.aws.certificates)).toEqual([LAB_CERT_ARN]);
    const failing = runChecks(allChecks, labExpected(), s).filter((r) => r.status === 'fail' || r.status === 'error');
    expect(failing.map((r) => r.code)).toEqual(['WRK008']);
    // Read-only: the API server saw only GETs.
    expect(lab.kube.writes()).toEqual([]);
    expect(lab.kube.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('makes a small, fixed number of API calls, the same on 3 and 200 nodes', async () => {
    const s3 = await collectLive(TARGET, HINTS, OPTS);
    const calls3 = Object.values(s3.stats!.apiCalls).reduce((a, b) => a + b, 0);
    const big = await startLabFakes({ nodes: 200 });
    const restoreBig = useEnv(big.env);
    try {
      const s200 = await collectLive(TARGET, HINTS, OPTS);
      const calls200 = Object.values(s200.stats!.apiCalls).reduce((a, b) => a + b, 0);
      console.log(`API calls per run: 3 nodes ${calls3} ${JSON.stringify(s3.stats!.apiCalls)}, 200 nodes ${calls200}`);
      expect(s200.kubernetes.nodes).toHaveLength(200);
      expect(calls200).toBe(calls3);
      expect(calls3).toBeLessThanOrEqual(30);
    } finally {
      restoreBig();
      await big.stop();
    }
  });

  it('sends the first call of the longest chain (the ALB: load balancer → listeners → rules) before any other', async () => {
    await collectLive(TARGET, HINTS, OPTS);
    const order = lab.aws.calls.map((c) => c.action);
    expect(order[0]).toBe('DescribeLoadBalancers');
    expect(order.indexOf('DescribeCluster')).toBeGreaterThan(0);
    expect(order.indexOf('DescribeCertificate')).toBeGreaterThan(0);
  });

  it('follows pagination markers (ELBv2 Marker, Kubernetes continue)', async () => {
    lab.aws.pageSize = 1;
    try {
      const s = await collectLive(TARGET, { ...HINTS, loadBalancerName: undefined }, OPTS);
      expect(s.errors).toEqual([]);
      expect(s.aws.rules[s.aws.listeners.find((l) => l.Port === 443)!.ListenerArn]).toHaveLength(3);
      expect(lab.aws.count('elbv2', 'DescribeRules')).toBeGreaterThanOrEqual(4);
    } finally {
      lab.aws.pageSize = 400;
    }
  });

  it('decodes a release secret again when it changed since the last run, and only then', async () => {
    const first = await collectLive(TARGET, HINTS, OPTS);
    const again = await collectLive(TARGET, HINTS, OPTS);
    // Same secrets: the same releases, values redacted as on the first run.
    expect(again.kubernetes.helmReleases).toEqual(first.kubernetes.helmReleases);
    const saved = lab.kube.state.helmReleases;
    try {
      // Helm rewrites the old revision's secret to change its status (data and labels), and a
      // rollback-like change of values gives the deployed revision new data.
      lab.kube.state.helmReleases = saved.map((r) =>
        r.revision === 2 ? { ...r, status: 'failed', config: { ...r.config, fullnameOverride: 'changed' } } : r,
      );
      const changed = await collectLive(TARGET, HINTS, OPTS);
      const rev2 = changed.kubernetes.helmReleases.find((r) => r.revision === 2)!;
      expect(rev2.status).toBe('failed');
      expect(rev2.config.fullnameOverride).toBe('changed');
      expect(changed.kubernetes.helmReleases.find((r) => r.revision === 1)).toEqual(
        first.kubernetes.helmReleases.find((r) => r.revision === 1),
      );
    } finally {
      lab.kube.state.helmReleases = saved;
    }
    const back = await collectLive(TARGET, HINTS, OPTS);
    expect(back.kubernetes.helmReleases).toEqual(first.kubernetes.helmReleases);
  });

  it('finds the ALB by the controller tags when no name is known', async () => {
    const s = await collectLive(TARGET, { ...HINTS, loadBalancerName: undefined }, OPTS);
    expect(s.aws.loadBalancers.map((l) => l.LoadBalancerName)).toEqual(['myeks-ingress-alb']);
  });

  it('collects only what the selected families read', async () => {
    const s = await collectLive(TARGET, HINTS, { ...OPTS, inputs: planFor(['certificate']).inputs });
    expect(s.collected).toEqual(['aws.certificates']);
    expect(lab.aws.count('elbv2')).toBe(0);
    // Kubernetes access is opened on the first Kubernetes read: none here, so no DescribeCluster either.
    expect(lab.aws.count('eks')).toBe(0);
    expect(lab.kube.requests).toEqual([]);
  });
});

describe('faults end as the contract says', () => {
  it('throttling that clears is retried by the SDK and succeeds', async () => {
    lab.aws.faults.set('DescribeListeners', { kind: 'throttle', times: 1 });
    const s = await collectLive(TARGET, HINTS, OPTS);
    expect(s.errors).toEqual([]);
    expect(lab.aws.count('elbv2', 'DescribeListeners')).toBe(2);
  });

  it('AccessDenied on DescribeRules is an error result naming the call and the permission; the rest stands', async () => {
    lab.aws.faults.set('DescribeRules', { kind: 'accessDenied' });
    const s = await collectLive(TARGET, HINTS, OPTS);
    // One per listener (HTTP:80 and HTTPS:443), each naming its listener.
    const denied = expect.objectContaining({
      source: 'elbv2',
      call: 'DescribeRules',
      code: 'AccessDenied',
      permission: 'elasticloadbalancing:DescribeRules',
    });
    expect(s.errors).toEqual([denied, denied]);
    expect(new Set(s.errors.map((e) => e.resource)).size).toBe(2);
    const results = runChecks(allChecks, labExpected(), s);
    const errs = results.filter((r) => r.status === 'error');
    expect(errs.map((r) => r.code).sort()).toEqual(['ALB004', 'ALB005', 'ALB006']);
    expect(errs[0].remediation).toContain('elasticloadbalancing:DescribeRules');
    expect(results.find((r) => r.code === 'ALB008')?.status).toBe('pass');
  });

  it('a 500 that persists becomes an error after the SDK retries', async () => {
    lab.aws.faults.set('DescribeCertificate', { kind: 'error500' });
    const s = await collectLive(TARGET, HINTS, OPTS);
    expect(s.errors).toEqual([
      expect.objectContaining({ source: 'acm', call: 'DescribeCertificate', permission: 'acm:DescribeCertificate' }),
    ]);
    expect(lab.aws.count('acm')).toBe(3);
  });

  it('a hang past the timeout is an error, and the run finishes', async () => {
    lab.aws.faults.set('DescribeTargetHealth', { kind: 'hang' });
    const t0 = Date.now();
    const s = await collectLive(TARGET, HINTS, { ...OPTS, callTimeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(s.errors.map((e) => e.call)).toEqual(['DescribeTargetHealth', 'DescribeTargetHealth']);
  }, 20_000);

  it('a Kubernetes 403 on one list is an error naming the RBAC permission', async () => {
    lab.kube.faults.set('list targetgroupbindings', { kind: 'accessDenied' });
    const s = await collectLive(TARGET, HINTS, OPTS);
    expect(s.errors).toEqual([
      expect.objectContaining({
        source: 'kubernetes',
        code: '403',
        permission: 'list targetgroupbindings.elbv2.k8s.aws in namespace monitoring',
      }),
    ]);
    const results = runChecks(allChecks, labExpected(), s);
    expect(results.find((r) => r.code === 'ALB006')?.status).toBe('error');
    expect(results.find((r) => r.code === 'WRK002')?.status).toBe('pass');
  });

  it('a token the API server rejects everywhere (401) is a CollectError: nothing could be collected', async () => {
    lab.kube.credentials = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other' };
    try {
      await expect(collectLive(TARGET, HINTS, OPTS)).rejects.toThrow(CollectError);
      expect(lab.kube.requests.every((r) => r.status === 401)).toBe(true);
    } finally {
      lab.kube.credentials = { accessKeyId: 'AKIDSTACKCHECKTEST', secretAccessKey: 'stackcheck-test-secret-key' };
    }
  });

  it('EKS DescribeCluster refused is a CollectError naming the call', async () => {
    lab.aws.faults.set('DescribeCluster', { kind: 'accessDenied' });
    await expect(collectLive(TARGET, HINTS, OPTS)).rejects.toThrow(
      /DescribeCluster myeks failed: .*not authorized.*eks:DescribeCluster|DescribeCluster myeks failed/,
    );
  });

  it('left no unhandled rejection behind', () => {
    expect(unhandled).toEqual([]);
  });
});
