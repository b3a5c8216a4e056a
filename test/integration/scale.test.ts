/**
 * A big cluster through the live collector and the loopback fakes: 5 000 nodes of real size, a
 * node-exporter pod on each, 100 000 pods in the cluster. Correctness only (how fast and how much
 * memory is `npm run bench`'s business): everything is read page by page, nothing is missed, and
 * the healthy stack is judged healthy.
 */
import { kubeConfigForEks, kubeGet } from '../../lib/adapters/kube';
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import { FAMILIES } from '../../lib/checks/types';
import { collectLive } from '../../lib/collect';
import { planFor } from '../../lib/verify/plan';
import { labExpected } from '../support/factories/expected';
import { largeClusterState } from '../support/factories/k8s-large';
import { LAB_HINTS, startLabFakes, useEnv, type LabFakes } from '../support/fakes/lab';
import { testPki } from '../support/fakes/tls';

const TARGET = { mode: 'eks' as const, cluster: 'myeks', region: 'ap-northeast-2' };
const OPTS = {
  inputs: planFor(FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f))).inputs,
  callTimeoutMs: 30_000,
};

/** A KubeConfig for the fake API server with a fixed token it is told to accept (no EKS token). */
function staticTokenKubeConfig(lab: LabFakes) {
  lab.kube.staticToken = 'unused';
  return kubeConfigForEks({
    cluster: 'myeks',
    endpoint: lab.kube.url,
    caData: Buffer.from(testPki().caPem).toString('base64'),
    token: 'unused',
  });
}
describe('5 000 nodes, 100 000 pods: the healthy stack through the live collector', () => {
  let lab: LabFakes;
  let restore: () => void;
  const big = largeClusterState({ nodes: 5000, clusterPods: 100_000 });
  beforeAll(async () => {
    lab = await startLabFakes({ kubernetes: big.kubernetes, otherPods: big.otherPods, cacheJson: true });
    restore = useEnv(lab.env);
  }, 60_000);
  afterAll(async () => {
    restore();
    await lab.stop();
  });

  it('reads every node and node-exporter pod page by page, and only the lab warning fails', async () => {
    const s = await collectLive(TARGET, LAB_HINTS, OPTS);
    expect(s.errors).toEqual([]);
    expect(s.kubernetes.nodes).toHaveLength(5000);
    expect(s.kubernetes.pods).toHaveLength(5001);
    expect(new Set(s.kubernetes.pods.map((p) => p.spec.nodeName)).size).toBe(5000);
    // Pages of 500 following continue tokens: 10 for the nodes, 11 for the namespace's pods.
    const lists = (path: string) => lab.kube.requests.filter((r) => r.path === path);
    expect(lists('/api/v1/nodes')).toHaveLength(10);
    expect(lists('/api/v1/namespaces/monitoring/pods')).toHaveLength(11);
    expect(lists('/api/v1/nodes').every((r) => r.query.limit === '500' && r.status === 200)).toBe(true);
    // Only what the checks read is kept of the big objects.
    expect(Object.keys(s.kubernetes.nodes[0].status)).toEqual(['conditions']);
    expect(s.kubernetes.nodes[0].metadata.managedFields).toBeUndefined();
    expect(s.kubernetes.pods[1].spec).toEqual({ nodeName: expect.any(String) });
    // What the items repeat is kept once (a DaemonSet's pods: the same labels and owner), and
    // only what is equal: every kept pod and node has its own labels' values.
    const pods = s.kubernetes.pods.slice(1);
    const listed = (name: string) => big.kubernetes.pods.find((p) => p.metadata.name === name)!;
    expect(pods[0].metadata.labels).toBe(pods[4999].metadata.labels);
    expect(pods[0].metadata.ownerReferences).toBe(pods[1].metadata.ownerReferences);
    for (const p of [pods[0], pods[2500], pods[4999]]) {
      expect(p.metadata.labels).toEqual(listed(p.metadata.name).metadata.labels);
      expect(p.metadata.ownerReferences).toEqual(listed(p.metadata.name).metadata.ownerReferences);
      expect(p.status.startTime).toBe(listed(p.metadata.name).status.startTime);
    }
    const nodes = s.kubernetes.nodes;
    expect(nodes[0].metadata.labels).not.toBe(nodes[1].metadata.labels);
    nodes.forEach((n, i) => expect(n.metadata.labels).toEqual(big.kubernetes.nodes[i].metadata.labels));

    const results = runChecks(allChecks, labExpected(), s);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
    // WRK008 is the lab's own warning (its values leave Prometheus' external URL http), as on 3 nodes.
    expect(results.filter((r) => r.status === 'fail').map((r) => r.code)).toEqual(['WRK008']);
    const nodeExporter = results.find((r) => r.code === 'WRK003');
    expect(nodeExporter?.status).toBe('pass');
  }, 60_000);

  it('the cluster really has 100 000 pods: a cluster-wide list pages through all of them', async () => {
    const kc = staticTokenKubeConfig(lab);
    try {
      const first = await kubeGet<{ items: unknown[]; metadata: { remainingItemCount: number } }>(kc, '/api/v1/pods', {
        limit: 500,
      });
      expect(first.items).toHaveLength(500);
      expect(first.metadata.remainingItemCount).toBe(100_000 - 500);
    } finally {
      lab.kube.staticToken = undefined;
    }
  });
});

/** `v` with its null members left out (and undefined ones, as toEqual does). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

describe("the big lists in the API server's protobuf encoding", () => {
  /** Collections of `state` from one fake API server offering protobuf, then not: the snapshots and the media types of the answers. */
  async function collectBoth(state: Parameters<typeof startLabFakes>[0]) {
    const lab = await startLabFakes(state);
    const restore = useEnv(lab.env);
    try {
      const runs = [];
      for (const offerProtobuf of [true, false]) {
        lab.kube.offerProtobuf = offerProtobuf;
        lab.kube.requests.length = 0;
        const s = await collectLive(TARGET, LAB_HINTS, OPTS);
        const answered = (path: string) =>
          new Set(lab.kube.requests.filter((r) => r.path === path).map((r) => r.contentType));
        runs.push({ s, nodes: answered('/api/v1/nodes'), pods: answered('/api/v1/namespaces/monitoring/pods') });
      }
      return runs;
    } finally {
      restore();
      await lab.stop();
    }
  }

  it.each([
    ["the lab (3 nodes, the stack's own pods)", undefined],
    ['500 nodes of real size, 20 000 pods', largeClusterState({ nodes: 500, clusterPods: 20_000 })],
  ])(
    '%s: the same nodes and pods as from JSON, and the same results',
    async (_, big) => {
      const state = big ? { kubernetes: big.kubernetes, otherPods: big.otherPods } : {};
      const [proto, json] = await collectBoth(state);
      expect(proto.nodes).toEqual(new Set(['application/vnd.kubernetes.protobuf']));
      expect(proto.pods).toEqual(new Set(['application/vnd.kubernetes.protobuf']));
      expect(json.nodes).toEqual(new Set(['application/json']));
      expect(json.pods).toEqual(new Set(['application/json']));
      expect(proto.s.errors).toEqual([]);
      expect(proto.s.kubernetes.nodes.length).toBeGreaterThan(0);
      // A zero time is null in both encodings of a real server (the JSON one writes
      // `"lastProbeTime": null`); some fixtures leave it out of their JSON, which reads the same.
      expect(withoutNulls(proto.s.kubernetes.nodes)).toEqual(withoutNulls(json.s.kubernetes.nodes));
      expect(withoutNulls(proto.s.kubernetes.pods)).toEqual(withoutNulls(json.s.kubernetes.pods));
      const verdicts = (snap: typeof proto.s) =>
        runChecks(allChecks, labExpected(), snap).map((r) => `${r.code} ${r.status} ${r.message}`);
      expect(verdicts(proto.s)).toEqual(verdicts(json.s));
    },
    60_000,
  );

  it('an error answered in protobuf (403 on the pod list) is the same error result as in JSON', async () => {
    const messages: string[] = [];
    for (const offerProtobuf of [true, false]) {
      const lab = await startLabFakes();
      lab.kube.offerProtobuf = offerProtobuf;
      lab.kube.faults.set('list pods', { kind: 'accessDenied' });
      const restore = useEnv(lab.env);
      try {
        const s = await collectLive(TARGET, LAB_HINTS, OPTS);
        const e = s.errors.find((x) => x.call === 'list pods (monitoring)');
        messages.push(`${e?.code} ${e?.message}`);
      } finally {
        restore();
        await lab.stop();
      }
    }
    expect(messages[0]).toMatch(/^403 HTTP 403 Forbidden: pods is forbidden/);
    expect(messages[0]).toBe(messages[1]);
  }, 60_000);
});

describe('Kubernetes reads on one connection', () => {
  let lab: LabFakes;
  let restore: () => void;
  beforeAll(async () => {
    lab = await startLabFakes({ nodes: 1200 });
    restore = useEnv(lab.env);
  });
  afterAll(async () => {
    restore();
    await lab.stop();
  });

  it('a run sends every request over one HTTP/2 connection, and the next run opens none', async () => {
    await collectLive(TARGET, LAB_HINTS, OPTS);
    const requests = lab.kube.requests.length;
    expect(requests).toBeGreaterThan(17); // 16 lists (nodes in 3 pages) and the namespace
    expect(lab.kube.connections).toBe(1);
    expect(lab.kube.http2Requests).toBe(requests);
    await collectLive(TARGET, LAB_HINTS, OPTS);
    expect(lab.kube.requests.length).toBe(2 * requests);
    expect(lab.kube.connections).toBe(1);
  });

  it('an API server without HTTP/2 is read over HTTPS/1.1 on kept-alive connections', async () => {
    const h1 = await startLabFakes({ nodes: 1200, kubernetesHttp1Only: true });
    const restoreH1 = useEnv(h1.env);
    try {
      const s = await collectLive(TARGET, LAB_HINTS, OPTS);
      expect(s.errors).toEqual([]);
      expect(s.kubernetes.nodes.length).toBeGreaterThan(0);
      const requests = h1.kube.requests.length;
      expect(h1.kube.http2Requests).toBe(0);
      expect(h1.kube.connections).toBeLessThan(requests);
      const first = h1.kube.connections;
      await collectLive(TARGET, LAB_HINTS, OPTS);
      expect(h1.kube.connections).toBe(first);
    } finally {
      restoreH1();
      await h1.stop();
    }
  });

  it('a continue token that expired mid-list starts the list again, and nothing is lost or doubled', async () => {
    lab.kube.requests.length = 0;
    lab.kube.expireContinueTokens = 1;
    const s = await collectLive(TARGET, LAB_HINTS, OPTS);
    expect(s.errors).toEqual([]);
    expect(s.kubernetes.nodes).toHaveLength(1200);
    expect(new Set(s.kubernetes.nodes.map((n) => n.metadata.name)).size).toBe(1200);
    const nodeLists = lab.kube.requests.filter((r) => r.path === '/api/v1/nodes');
    expect(nodeLists.map((r) => r.status)).toEqual([200, 410, 200, 200, 200]);
  });

  it('a continue token that is not one is a 400 from the API server, an error result for that list', async () => {
    const kc = staticTokenKubeConfig(lab);
    try {
      await expect(kubeGet(kc, '/api/v1/nodes', { limit: 500, continue: 'bm90LWEtdG9rZW4=' })).rejects.toMatchObject({
        code: 400,
      });
    } finally {
      lab.kube.staticToken = undefined;
    }
  });
});
