import { eligibleNodes, tolerates } from '../../../lib/checks/workloads';
import { byName, makeDaemonSet, makeNode, nodeName } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

const STS = 'StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus';
const DS = 'DaemonSet/monitoring/kube-prometheus-stack-prometheus-node-exporter';

describe('check: namespace (WRK001)', () => {
  it('passes when monitoring exists', () => {
    expect(runCode('WRK001')[0]).toMatchObject({ status: 'pass', resource: 'Namespace/monitoring' });
  });
  it('fails naming the namespace when it is missing', () => {
    expect(runCode('WRK001', (s) => (s.kubernetes.namespaces = []))[0]).toMatchObject({
      status: 'fail',
      resource: 'Namespace/monitoring',
    });
  });
});

describe('check: Prometheus StatefulSet ready (WRK002)', () => {
  it('passes with 1/1 ready', () => {
    expect(runCode('WRK002')[0]).toMatchObject({ status: 'pass', resource: STS });
  });
  it('fails when the replica is not ready', () => {
    const r = runCode('WRK002', (s) => (s.kubernetes.statefulSets[0].status.readyReplicas = 0))[0];
    expect(r).toMatchObject({ status: 'fail', resource: STS, actual: { replicas: 1, readyReplicas: 0 } });
  });
  it('fails when the operator did not create it', () => {
    expect(runCode('WRK002', (s) => (s.kubernetes.statefulSets = []))[0]).toMatchObject({
      status: 'fail',
      resource: STS,
      actual: null,
    });
  });
});

describe('check: node-exporter on every node (WRK003)', () => {
  it('passes with one ready exporter per node', () => {
    expect(runCode('WRK003')[0]).toMatchObject({ status: 'pass', resource: DS });
  });
  it('fails when a node has no exporter, naming the node', () => {
    const [r] = runCode('WRK003', (s) => {
      s.kubernetes.pods = s.kubernetes.pods.filter((p) => p.spec?.nodeName !== nodeName(2));
      Object.assign(s.kubernetes.daemonSets[0].status, { desiredNumberScheduled: 2, numberReady: 2 });
    });
    expect(r.status).toBe('fail');
    expect(r.message).toContain(nodeName(2));
  });
  it('counts a NoSchedule-tainted node that the chart tolerates', () => {
    const [r] = runCode('WRK003', (s) => {
      s.kubernetes.nodes[2] = makeNode(nodeName(2), {
        taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      });
    });
    expect(r.status).toBe('pass');
  });
  it('does not count a tainted node the DaemonSet does not tolerate, nor a cordoned one', () => {
    const [r] = runCode('WRK003', (s) => {
      const ds = makeDaemonSet({ desired: 2, tolerations: [] });
      s.kubernetes.daemonSets = [ds];
      s.kubernetes.nodes[1] = makeNode(nodeName(1), {
        taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      });
      s.kubernetes.pods = s.kubernetes.pods.filter((p) => p.spec?.nodeName !== nodeName(1));
      s.kubernetes.pods.forEach((p) => (p.metadata.ownerReferences = [{ kind: 'DaemonSet', name: ds.metadata.name }]));
    });
    expect(r.status).toBe('pass');
    expect(r.expected).toMatchObject({ nodes: 2 });
  });
  it('fails when the DaemonSet reports fewer scheduled pods than eligible nodes', () => {
    const [r] = runCode('WRK003', (s) =>
      Object.assign(s.kubernetes.daemonSets[0].status, { desiredNumberScheduled: 2, numberReady: 2 }),
    );
    expect(r).toMatchObject({ status: 'fail', actual: { desiredNumberScheduled: 2 } });
  });
});

describe('tolerations as the scheduler matches them', () => {
  it('matches Exists with and without key, Equal by value, and effects', () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    expect(tolerates({ operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ operator: 'Exists', key: 'other' }, taint)).toBe(false);
    expect(tolerates({ key: 'dedicated', value: 'gpu' }, taint)).toBe(true);
    expect(tolerates({ key: 'dedicated', value: 'cpu' }, taint)).toBe(false);
    expect(tolerates({ operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });
  it('ignores PreferNoSchedule taints and honours nodeSelector', () => {
    const ds = makeDaemonSet({ tolerations: [] });
    ds.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' };
    const soft = makeNode('a', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] });
    const windows = makeNode('b');
    windows.metadata.labels = { 'kubernetes.io/os': 'windows' };
    expect(eligibleNodes(ds, [soft, windows]).map((n) => n.metadata.name)).toEqual(['a']);
  });
});

describe('check: Deployments available (WRK004)', () => {
  it('passes for grafana, kube-state-metrics and the operator', () => {
    expect(runCode('WRK004').map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });
  it('fails the one that is unavailable', () => {
    const rs = runCode('WRK004', (s) => {
      const d = byName(s.kubernetes.deployments, 'kube-prometheus-stack-kube-state-metrics');
      d.status = {
        replicas: 1,
        availableReplicas: 0,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
      };
    });
    expect(failing(rs).map((r) => r.resource)).toEqual([
      'Deployment/monitoring/kube-prometheus-stack-kube-state-metrics',
    ]);
  });
});

describe('check: Prometheus args (WRK005)', () => {
  it('passes with 5d / 10GiB / http://prometheus.example.com/', () => {
    expect(runCode('WRK005').map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });
  it('fails naming the flag when retention differs', () => {
    const rs = runCode('WRK005', (s) => {
      const c = s.kubernetes.statefulSets[0].spec.template.spec.containers[0];
      c.args = c.args.map((a: string) =>
        a.startsWith('--storage.tsdb.retention.time=') ? '--storage.tsdb.retention.time=10d' : a,
      );
    });
    expect(failing(rs)).toHaveLength(1);
    expect(failing(rs)[0]).toMatchObject({ resource: STS, expected: '5d', actual: '10d', severity: 'critical' });
    expect(failing(rs)[0].message).toContain('--storage.tsdb.retention.time');
  });
  it('fails when the retention size flag is missing', () => {
    const rs = runCode('WRK005', (s) => {
      const c = s.kubernetes.statefulSets[0].spec.template.spec.containers[0];
      c.args = c.args.filter((a: string) => !a.startsWith('--storage.tsdb.retention.size'));
    });
    expect(failing(rs)[0]).toMatchObject({ expected: '10GiB', actual: null });
  });
});

describe('check: Prometheus resource intervals (WRK006)', () => {
  it('passes with 15s/15s', () => {
    expect(runCode('WRK006')[0].status).toBe('pass');
  });
  it('fails when the --set scrape interval did not make it into the resource', () => {
    const [r] = runCode('WRK006', (s) => (s.kubernetes.prometheuses[0].spec.scrapeInterval = '30s'));
    expect(r).toMatchObject({ status: 'fail', resource: 'Prometheus/monitoring/kube-prometheus-stack-prometheus' });
    expect(r.message).toContain('scrapeInterval is "30s", expected "15s"');
  });
});

describe('check: node-exporter port (WRK007)', () => {
  it('passes on 9100', () => {
    expect(runCode('WRK007')[0].status).toBe('pass');
  });
  it('fails when it listens elsewhere', () => {
    const [r] = runCode('WRK007', (s) => (s.kubernetes.daemonSets = [makeDaemonSet({ port: 9101 })]));
    expect(r).toMatchObject({ status: 'fail', resource: DS });
  });
});

describe('check: external URL scheme (WRK008)', () => {
  it('warns that the lab renders http:// behind an HTTPS ALB', () => {
    expect(runCode('WRK008')[0]).toMatchObject({
      status: 'fail',
      severity: 'warning',
      actual: 'http://prometheus.example.com/',
    });
  });
  it('passes when externalUrl is https', () => {
    const [r] = runCode('WRK008', (s) => {
      const c = s.kubernetes.statefulSets[0].spec.template.spec.containers[0];
      c.args = c.args.map((a: string) =>
        a.startsWith('--web.external-url=') ? '--web.external-url=https://prometheus.example.com/' : a,
      );
    });
    expect(r.status).toBe('pass');
  });
});

describe('check: Alertmanager (WRK009)', () => {
  it('is skipped with the reason when alertmanager is disabled (the lab)', () => {
    expect(runCode('WRK009')[0]).toMatchObject({
      status: 'skip',
      message: 'alertmanager.enabled is false in the values',
    });
  });
  it('fails when enabled but absent', () => {
    const [r] = runCode('WRK009', (_s, e) => (e.alertmanager.enabled = true));
    expect(r).toMatchObject({
      status: 'fail',
      resource: 'StatefulSet/monitoring/alertmanager-kube-prometheus-stack-alertmanager',
    });
  });
});
