import { allChecks } from '../../../lib/checks';
import { runChecks } from '../../../lib/checks/run';
import { formatHtml, layout } from '../../../lib/report/html';
import { buildReport } from '../../../lib/report/build';
import { buildTopology, MAX_BOXES_PER_LAYER } from '../../../lib/report/topology';
import type { Snapshot } from '../../../lib/snapshot/types';
import { driftedExample, healthyExample } from '../../../scripts/make-examples';
import { labExpected } from '../../support/factories/expected';
import { labSnapshot } from '../../support/factories/snapshot';

function drawnResources(s: Snapshot): string[] {
  const k = s.kubernetes;
  const n = (kind: string, list: Array<{ metadata: { name: string; namespace?: string } }>) =>
    list.map((o) =>
      o.metadata.namespace ? `${kind}/${o.metadata.namespace}/${o.metadata.name}` : `${kind}/${o.metadata.name}`,
    );
  return [
    ...s.aws.loadBalancers.map((x) => x.LoadBalancerArn),
    ...s.aws.listeners.map((x) => x.ListenerArn),
    ...Object.values(s.aws.rules)
      .flat()
      .filter((r) => !r.IsDefault)
      .map((r) => r.RuleArn),
    ...s.aws.targetGroups.map((x) => x.TargetGroupArn),
    ...Object.keys(s.aws.certificates),
    ...n('TargetGroupBinding', k.targetGroupBindings),
    ...n('Ingress', k.ingresses),
    ...n('Service', k.services),
    ...n('StatefulSet', k.statefulSets),
    ...n('Deployment', k.deployments),
    ...n('DaemonSet', k.daemonSets),
    ...n('Prometheus', k.prometheuses),
    ...n('PersistentVolumeClaim', k.persistentVolumeClaims),
    ...n('PersistentVolume', k.persistentVolumes),
    ...n('StorageClass', k.storageClasses),
    ...n('Node', k.nodes),
    ...n('CustomResourceDefinition', k.customResourceDefinitions),
    ...n('ServiceMonitor', k.serviceMonitors),
  ];
}

describe('topology', () => {
  it('draws every resource of the snapshot exactly once, and edges only between boxes', () => {
    const s = healthyExample();
    const t = buildTopology(s, runChecks(allChecks, labExpected(), s), labExpected());
    for (const res of drawnResources(s)) expect(t.boxes.filter((b) => b.resource === res)).toHaveLength(1);
    const ids = new Set(t.boxes.map((b) => b.id));
    for (const e of t.edges) {
      expect(ids.has(e.from)).toBe(true);
      expect(ids.has(e.to)).toBe(true);
    }
    // The path a user's request takes is connected: host → ALB → HTTPS listener → rule → TG → TGB → Service → StatefulSet → PVC → PV → gp3.
    expect(t.edges.length).toBeGreaterThan(30);
  });

  it('draws failing resources failing and a missing volume as a dashed box', () => {
    const s = driftedExample();
    const results = runChecks(allChecks, labExpected(), s);
    const t = buildTopology(s, results, labExpected());
    const failingResources = new Set(results.filter((r) => r.status === 'fail').map((r) => r.resource));
    for (const res of failingResources) {
      const box = t.boxes.find((b) => b.resource === res);
      expect(box?.status).toBe('fail');
    }
    expect(
      t.boxes.find((b) => b.resource === 'PersistentVolumeClaim/monitoring/kube-prometheus-stack-grafana')?.status,
    ).toBe('fail');
  });

  it('folds big layers (500 nodes) into "+N more" keeping failing ones visible', () => {
    const s = labSnapshot({ nodes: 500 });
    const t = buildTopology(s, [], labExpected());
    const nodes = t.boxes.filter((b) => b.layer === 'nodes');
    expect(nodes).toHaveLength(MAX_BOXES_PER_LAYER);
    expect(nodes.find((b) => b.kind === 'More')?.count).toBe(500 - (MAX_BOXES_PER_LAYER - 1));
    const { width } = layout(t);
    expect(width).toBeLessThan(6000);
  });

  it('renders an HTML page with the SVG, a row per result and no external resources', () => {
    const s = driftedExample();
    const results = runChecks(allChecks, labExpected(), s);
    const html = formatHtml({
      report: buildReport({ cluster: 'myeks', startedAt: new Date(), finishedAt: new Date(), results }),
      snapshot: s,
      expected: labExpected(),
    });
    expect(html).toContain('<svg');
    expect((html.match(/<tr id="r-/g) ?? []).length).toBe(results.length);
    expect(html).toContain('class="box status-fail"');
    expect(html).not.toMatch(/src="https?:|<link|url\(https?:/);
    // Links are anchors within the page or AWS console pages of the results' AWS resources, opened by the reader.
    for (const m of html.matchAll(/<a href="([^"]*)"/g))
      expect(m[1]).toMatch(/^(#r-\d+|https:\/\/ap-northeast-2\.console\.aws\.amazon\.com\/)/);
    expect(html).toContain(
      'href="https://ap-northeast-2.console.aws.amazon.com/acm/home?region=ap-northeast-2#/certificates/',
    );
  });
});
