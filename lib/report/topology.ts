/**
 * The live topology of the stack as a layered graph (pure): client → ALB → listeners → rules →
 * target groups ↔ TargetGroupBindings → Services → workloads → PVC → PV → StorageClass, with
 * node-exporter on every node and the operator's CRDs. Each box carries the status of the results
 * about its resource, so the drawing shows where the drift is.
 *
 * Drawn resources: every load balancer, listener, non-default rule, target group, certificate,
 * Ingress, TargetGroupBinding, Service, StatefulSet/Deployment/DaemonSet, Prometheus CR, PVC, PV,
 * StorageClass, Node, CRD and ServiceMonitor of the snapshot, plus the latest Helm release and the
 * namespace — each exactly once. Pods and Endpoints are folded into their workloads. A failing
 * result about something absent from the snapshot gets a dashed "missing" box.
 */
import { conditionValues, forwardWeights, isDefaultRule } from '../alb/rules';
import type { Result, Status } from '../checks/types';
import type { ExpectedState } from '../expected/types';
import type { K8sObject, Snapshot } from '../snapshot/types';

export type BoxStatus = Status | 'none';

export const LAYERS = [
  'clients',
  'load balancer',
  'listeners',
  'rules',
  'target groups',
  'bindings',
  'ingresses',
  'services',
  'workloads',
  'claims',
  'volumes',
  'storage classes',
  'nodes',
  'definitions',
  'other findings',
] as const;
export type Layer = (typeof LAYERS)[number];

export interface Box {
  /** Unique id: the resource string for real objects, `host:<h>` for clients, `missing:<res>`. */
  id: string;
  layer: Layer;
  kind: string;
  label: string;
  /** The `resource` string results use for this object (absent for clients). */
  resource?: string;
  status: BoxStatus;
  /** Results about this box's resource, in report order (indices into report.results). */
  findings: number[];
  missing?: boolean;
  /** For folded lists: how many objects the box stands for. */
  count?: number;
}

export interface Edge {
  from: string;
  to: string;
  label?: string;
  dashed?: boolean;
}

export interface Topology {
  boxes: Box[];
  edges: Edge[];
}

/** Folded lists keep the drawing readable on big clusters (500 nodes). */
export const MAX_BOXES_PER_LAYER = 24;

const STATUS_RANK: Record<BoxStatus, number> = { none: 0, skip: 1, pass: 2, error: 3, fail: 4 };

function ns(kind: string, o: K8sObject): string {
  return o.metadata.namespace ? `${kind}/${o.metadata.namespace}/${o.metadata.name}` : `${kind}/${o.metadata.name}`;
}

function shortArnName(arn: string): string {
  // listener/app/<lb>/<id>/<id> → keep the resource-type and the trailing id readable
  const parts = arn.split(':').slice(5).join(':').split('/');
  return parts.length > 1 ? `${parts[0]}/${parts[parts.length - 1]}` : arn;
}

function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Maps a result resource that has no box to the layer its kind belongs to. */
function layerForResource(resource: string): Layer {
  if (resource.startsWith('arn:aws:acm')) return 'load balancer';
  if (/:loadbalancer\//.test(resource)) return 'load balancer';
  if (/:listener\//.test(resource)) return 'listeners';
  if (/:listener-rule\//.test(resource)) return 'rules';
  if (/:targetgroup\//.test(resource)) return 'target groups';
  const kind = resource.split('/')[0];
  const byKind: Record<string, Layer> = {
    TargetGroupBinding: 'bindings',
    Ingress: 'ingresses',
    Service: 'services',
    StatefulSet: 'workloads',
    Deployment: 'workloads',
    DaemonSet: 'workloads',
    Prometheus: 'workloads',
    PersistentVolumeClaim: 'claims',
    PersistentVolume: 'volumes',
    StorageClass: 'storage classes',
    Node: 'nodes',
    CustomResourceDefinition: 'definitions',
    ServiceMonitor: 'definitions',
  };
  return byKind[kind] ?? 'other findings';
}

export function buildTopology(snapshot: Snapshot, results: readonly Result[], expected?: ExpectedState): Topology {
  const boxes = new Map<string, Box>();
  const edges: Edge[] = [];
  const add = (b: Omit<Box, 'status' | 'findings'>): Box => {
    const existing = boxes.get(b.id);
    if (existing) return existing;
    const box: Box = { ...b, status: 'none', findings: [] };
    boxes.set(b.id, box);
    return box;
  };
  const link = (from: string, to: string, label?: string, dashed?: boolean) => {
    if (from === to || !boxes.has(from) || !boxes.has(to)) return;
    if (edges.some((e) => e.from === from && e.to === to)) return;
    edges.push({ from, to, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
  };
  const k = snapshot.kubernetes;
  const aws = snapshot.aws;

  // Clients: the hosts people type.
  const hosts = expected?.hosts?.length
    ? expected.hosts
    : [...new Set(k.ingresses.flatMap((i) => (i.spec?.rules ?? []).map((r: { host?: string }) => r.host)))].filter(
        (h): h is string => typeof h === 'string',
      );
  for (const h of hosts) add({ id: `host:${h}`, layer: 'clients', kind: 'Client', label: `https://${h}` });

  // AWS side.
  for (const lb of aws.loadBalancers) {
    add({
      id: lb.LoadBalancerArn,
      resource: lb.LoadBalancerArn,
      layer: 'load balancer',
      kind: 'LoadBalancer',
      label: lb.LoadBalancerName ?? shortArnName(lb.LoadBalancerArn),
    });
    for (const h of hosts) link(`host:${h}`, lb.LoadBalancerArn);
  }
  for (const [arn, cert] of Object.entries(aws.certificates)) {
    add({
      id: arn,
      resource: arn,
      layer: 'load balancer',
      kind: 'Certificate',
      label: cert.DomainName ?? shortArnName(arn),
    });
  }
  for (const l of aws.listeners) {
    add({
      id: l.ListenerArn,
      resource: l.ListenerArn,
      layer: 'listeners',
      kind: 'Listener',
      label: `${l.Protocol ?? '?'}:${l.Port ?? '?'}`,
    });
    link(l.LoadBalancerArn, l.ListenerArn);
    for (const c of l.Certificates ?? []) if (c.CertificateArn) link(l.ListenerArn, c.CertificateArn, 'TLS', true);
  }
  // Redirect edges (HTTP:80 → HTTPS:443) once all listeners exist.
  for (const l of aws.listeners) {
    for (const a of l.DefaultActions ?? []) {
      if (a.Type !== 'redirect') continue;
      const port = a.RedirectConfig?.Port;
      const target = aws.listeners.find((o) => o.LoadBalancerArn === l.LoadBalancerArn && String(o.Port) === port);
      if (target) link(l.ListenerArn, target.ListenerArn, 'redirect', true);
    }
  }
  for (const tg of aws.targetGroups) {
    const healthy = (aws.targetHealth[tg.TargetGroupArn] ?? []).filter(
      (t) => t.TargetHealth?.State === 'healthy',
    ).length;
    const total = (aws.targetHealth[tg.TargetGroupArn] ?? []).length;
    add({
      id: tg.TargetGroupArn,
      resource: tg.TargetGroupArn,
      layer: 'target groups',
      kind: 'TargetGroup',
      label: `${tg.TargetGroupName ?? shortArnName(tg.TargetGroupArn)} (${healthy}/${total} healthy)`,
    });
  }
  for (const [listenerArn, rules] of Object.entries(aws.rules)) {
    for (const r of rules) {
      if (isDefaultRule(r)) {
        for (const a of r.Actions ?? []) for (const tg of forwardWeights(a).keys()) link(listenerArn, tg, 'default');
        continue;
      }
      const rHosts = conditionValues(r, 'host-header') ?? [];
      add({
        id: r.RuleArn,
        resource: r.RuleArn,
        layer: 'rules',
        kind: 'Rule',
        label: `#${r.Priority} ${rHosts.join(', ') || 'rule'}`,
      });
      link(listenerArn, r.RuleArn);
      for (const a of r.Actions ?? []) for (const tg of forwardWeights(a).keys()) link(r.RuleArn, tg, 'forward');
    }
  }

  // Kubernetes side.
  for (const n of k.namespaces)
    add({
      id: ns('Namespace', n),
      resource: ns('Namespace', n),
      layer: 'workloads',
      kind: 'Namespace',
      label: n.metadata.name,
    });
  for (const tgb of k.targetGroupBindings) {
    const id = ns('TargetGroupBinding', tgb);
    add({ id, resource: id, layer: 'bindings', kind: 'TargetGroupBinding', label: tgb.metadata.name });
    const arn = tgb.spec?.targetGroupARN;
    if (typeof arn === 'string') link(arn, id, 'bound', true);
  }
  for (const ing of k.ingresses) {
    const id = ns('Ingress', ing);
    add({ id, resource: id, layer: 'ingresses', kind: 'Ingress', label: ing.metadata.name });
    // Rules whose hosts match this Ingress's hosts were made from it.
    const ingHosts: string[] = (ing.spec?.rules ?? []).map((r: { host?: string }) => r.host).filter(Boolean);
    for (const rules of Object.values(aws.rules)) {
      for (const r of rules) {
        const rh = (conditionValues(r, 'host-header') ?? []).map((h) => h.toLowerCase());
        if (ingHosts.some((h) => rh.includes(h.toLowerCase()))) link(r.RuleArn, id, 'from', true);
      }
    }
  }
  for (const svc of k.services) {
    const id = ns('Service', svc);
    const ports = (svc.spec?.ports ?? []).map((p: { port?: number }) => p.port).join(',');
    add({
      id,
      resource: id,
      layer: 'services',
      kind: 'Service',
      label: `${svc.metadata.name}${ports ? ` :${ports}` : ''}`,
    });
  }
  for (const tgb of k.targetGroupBindings) {
    const svcName = tgb.spec?.serviceRef?.name;
    if (typeof svcName === 'string')
      link(ns('TargetGroupBinding', tgb), `Service/${tgb.metadata.namespace}/${svcName}`);
  }
  for (const ing of k.ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const name = p.backend?.service?.name;
        if (typeof name === 'string') link(ns('Ingress', ing), `Service/${ing.metadata.namespace}/${name}`);
      }
    }
  }

  const workloads: Array<[string, K8sObject]> = [
    ...k.statefulSets.map((o) => ['StatefulSet', o] as [string, K8sObject]),
    ...k.deployments.map((o) => ['Deployment', o] as [string, K8sObject]),
    ...k.daemonSets.map((o) => ['DaemonSet', o] as [string, K8sObject]),
  ];
  for (const [kind, w] of workloads) {
    const id = ns(kind, w);
    const ready =
      kind === 'DaemonSet'
        ? `${w.status?.numberReady ?? 0}/${w.status?.desiredNumberScheduled ?? 0}`
        : `${w.status?.readyReplicas ?? 0}/${w.spec?.replicas ?? 1}`;
    add({ id, resource: id, layer: 'workloads', kind, label: `${w.metadata.name} (${ready})` });
    const podLabels = w.spec?.template?.metadata?.labels as Record<string, string> | undefined;
    for (const svc of k.services) {
      if (svc.metadata.namespace === w.metadata.namespace && selectorMatches(svc.spec?.selector, podLabels)) {
        link(ns('Service', svc), id);
      }
    }
  }
  for (const p of k.prometheuses) {
    const id = ns('Prometheus', p);
    add({ id, resource: id, layer: 'workloads', kind: 'Prometheus', label: p.metadata.name });
    // The operator makes the StatefulSet `prometheus-<name>` from the CR.
    link(id, `StatefulSet/${p.metadata.namespace}/prometheus-${p.metadata.name}`, 'operator', true);
  }

  for (const pvc of k.persistentVolumeClaims) {
    const id = ns('PersistentVolumeClaim', pvc);
    add({
      id,
      resource: id,
      layer: 'claims',
      kind: 'PersistentVolumeClaim',
      label: `${pvc.metadata.name} (${pvc.status?.phase ?? '?'})`,
    });
  }
  for (const [kind, w] of workloads) {
    const wid = ns(kind, w);
    for (const v of w.spec?.template?.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (typeof claim === 'string') link(wid, `PersistentVolumeClaim/${w.metadata.namespace}/${claim}`);
    }
    if (kind === 'StatefulSet') {
      const replicas = Number(w.spec?.replicas ?? 1);
      for (const t of w.spec?.volumeClaimTemplates ?? []) {
        for (let i = 0; i < Math.max(1, replicas); i++) {
          link(wid, `PersistentVolumeClaim/${w.metadata.namespace}/${t.metadata?.name}-${w.metadata.name}-${i}`);
        }
      }
    }
  }
  for (const pv of k.persistentVolumes) {
    const id = ns('PersistentVolume', pv);
    add({
      id,
      resource: id,
      layer: 'volumes',
      kind: 'PersistentVolume',
      label: `${pv.metadata.name} (${pv.status?.phase ?? '?'})`,
    });
  }
  for (const sc of k.storageClasses) {
    const id = ns('StorageClass', sc);
    add({
      id,
      resource: id,
      layer: 'storage classes',
      kind: 'StorageClass',
      label: `${sc.metadata.name} (${String((sc as { provisioner?: unknown }).provisioner ?? '?')})`,
    });
  }
  for (const pvc of k.persistentVolumeClaims) {
    const id = ns('PersistentVolumeClaim', pvc);
    const vol = pvc.spec?.volumeName;
    if (typeof vol === 'string' && boxes.has(`PersistentVolume/${vol}`)) link(id, `PersistentVolume/${vol}`, 'bound');
    else if (typeof pvc.spec?.storageClassName === 'string')
      link(id, `StorageClass/${pvc.spec.storageClassName}`, 'requests', true);
  }
  for (const pv of k.persistentVolumes) {
    if (typeof pv.spec?.storageClassName === 'string')
      link(ns('PersistentVolume', pv), `StorageClass/${pv.spec.storageClassName}`);
  }

  // Nodes, and node-exporter on each (from the DaemonSet's pods).
  for (const n of k.nodes)
    add({ id: ns('Node', n), resource: ns('Node', n), layer: 'nodes', kind: 'Node', label: n.metadata.name });
  for (const ds of k.daemonSets) {
    for (const pod of k.pods) {
      const owned = (pod.metadata.ownerReferences ?? []).some(
        (r) => r.kind === 'DaemonSet' && r.name === ds.metadata.name,
      );
      const node = pod.spec?.nodeName;
      if (owned && typeof node === 'string') link(ns('DaemonSet', ds), `Node/${node}`, 'runs on');
    }
  }

  // Definitions: the CRDs the operator serves and the ServiceMonitors.
  const operator = k.deployments.find((d) => /operator/.test(d.metadata.name));
  for (const crd of k.customResourceDefinitions) {
    const id = ns('CustomResourceDefinition', crd);
    add({ id, resource: id, layer: 'definitions', kind: 'CustomResourceDefinition', label: crd.metadata.name });
    if (operator && crd.metadata.name.endsWith('.monitoring.coreos.com'))
      link(ns('Deployment', operator), id, 'serves', true);
  }
  for (const sm of k.serviceMonitors) {
    const id = ns('ServiceMonitor', sm);
    add({ id, resource: id, layer: 'definitions', kind: 'ServiceMonitor', label: sm.metadata.name });
  }

  // Attach results; a result about a resource without a box (missing object) gets a dashed box.
  results.forEach((r, index) => {
    let box = boxes.get(r.resource);
    if (!box) {
      if (r.status !== 'fail' && r.status !== 'error') return;
      box = add({
        id: `missing:${r.resource}`,
        resource: r.resource,
        layer: layerForResource(r.resource),
        kind: r.resource.startsWith('arn:') ? 'AWS' : r.resource.split('/')[0],
        label: r.resource.startsWith('arn:') ? shortArnName(r.resource) : r.resource.split('/').slice(1).join('/'),
        missing: true,
      });
    }
    box.findings.push(index);
    if (STATUS_RANK[r.status] > STATUS_RANK[box.status]) box.status = r.status;
  });

  return foldLayers({ boxes: [...boxes.values()], edges });
}

/** Keeps each layer to MAX_BOXES_PER_LAYER boxes: failing ones first, the rest folded into "+N more". */
function foldLayers(t: Topology): Topology {
  const keep = new Set<string>();
  const extra: Box[] = [];
  for (const layer of LAYERS) {
    const inLayer = t.boxes.filter((b) => b.layer === layer);
    if (inLayer.length <= MAX_BOXES_PER_LAYER) {
      inLayer.forEach((b) => keep.add(b.id));
      continue;
    }
    const sorted = [...inLayer].sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status]);
    const shown = sorted.slice(0, MAX_BOXES_PER_LAYER - 1);
    shown.forEach((b) => keep.add(b.id));
    const hidden = sorted.slice(MAX_BOXES_PER_LAYER - 1);
    const worst = hidden.reduce<BoxStatus>((s, b) => (STATUS_RANK[b.status] > STATUS_RANK[s] ? b.status : s), 'none');
    const id = `more:${layer}`;
    extra.push({
      id,
      layer,
      kind: 'More',
      label: `+${hidden.length} more ${layer}`,
      status: worst,
      findings: hidden.flatMap((b) => b.findings),
      count: hidden.length,
    });
    keep.add(id);
  }
  const boxes = [...t.boxes.filter((b) => keep.has(b.id)), ...extra];
  const folded = new Map<string, string>();
  for (const b of t.boxes) if (!keep.has(b.id)) folded.set(b.id, `more:${b.layer}`);
  const seen = new Set<string>();
  const edges: Edge[] = [];
  for (const e of t.edges) {
    const from = folded.get(e.from) ?? e.from;
    const to = folded.get(e.to) ?? e.to;
    const key = `${from}→${to}`;
    if (from === to || seen.has(key)) continue;
    seen.add(key);
    edges.push({ ...e, from, to });
  }
  return { boxes, edges };
}

/** Mermaid `flowchart` of the topology, for Markdown reports (renders in GitHub comments). */
export function topologyMermaid(t: Topology): string {
  const ids = new Map<string, string>();
  t.boxes.forEach((b, i) => ids.set(b.id, `n${i}`));
  const esc = (s: string) => s.replace(/["\n]/g, "'").replace(/[<>]/g, '');
  const lines = ['flowchart TB'];
  for (const layer of LAYERS) {
    const inLayer = t.boxes.filter((b) => b.layer === layer);
    if (inLayer.length === 0) continue;
    lines.push(`  subgraph ${layer.replace(/\s+/g, '_')}["${layer}"]`);
    for (const b of inLayer) {
      const text = esc(`${b.kind}: ${b.label}`);
      lines.push(b.missing ? `    ${ids.get(b.id)}[/"${text} (missing)"/]` : `    ${ids.get(b.id)}["${text}"]`);
    }
    lines.push('  end');
  }
  for (const e of t.edges) {
    const arrow = e.dashed ? '-.->' : '-->';
    lines.push(`  ${ids.get(e.from)} ${arrow}${e.label ? `|${esc(e.label)}|` : ''} ${ids.get(e.to)}`);
  }
  lines.push(
    '  classDef pass fill:#dff5e1,stroke:#1a7f37,color:#0b3d1a',
    '  classDef fail fill:#ffe1e1,stroke:#cf222e,color:#5c0a0f,stroke-width:2px',
    '  classDef error fill:#fff1d6,stroke:#bc4c00,color:#4d2000,stroke-width:2px',
    '  classDef skip fill:#eeeeee,stroke:#8c959f,color:#333333',
    '  classDef none fill:#f6f8fa,stroke:#8c959f,color:#24292f',
  );
  for (const status of ['pass', 'fail', 'error', 'skip', 'none'] as const) {
    const members = t.boxes.filter((b) => b.status === status).map((b) => ids.get(b.id));
    if (members.length) lines.push(`  class ${members.join(',')} ${status}`);
  }
  return lines.join('\n');
}
