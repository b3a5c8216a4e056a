/**
 * What runs: the namespace, the StatefulSets/Deployments/DaemonSets the Services select (Pods and
 * Endpoints folded into them), the Prometheus CRs the operator turns into StatefulSets, and the
 * nodes node-exporter runs on.
 */
import type { K8sObject, KubernetesState } from '../../snapshot/types';
import { objectId, type TopologyGraph } from './graph';

export function addNamespaces(g: TopologyGraph, k: KubernetesState): void {
  for (const n of k.namespaces) g.addObject('workloads', 'Namespace', n);
}

/** Every workload with its kind, StatefulSets first. */
export function workloadsOf(k: KubernetesState): Array<[kind: string, workload: K8sObject]> {
  return [
    ...k.statefulSets.map((o) => ['StatefulSet', o] as [string, K8sObject]),
    ...k.deployments.map((o) => ['Deployment', o] as [string, K8sObject]),
    ...k.daemonSets.map((o) => ['DaemonSet', o] as [string, K8sObject]),
  ];
}

function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function readiness(kind: string, w: K8sObject): string {
  return kind === 'DaemonSet'
    ? `${w.status?.numberReady ?? 0}/${w.status?.desiredNumberScheduled ?? 0}`
    : `${w.status?.readyReplicas ?? 0}/${w.spec?.replicas ?? 1}`;
}

/** Workloads, linked from the Services whose selector matches their pods; then the Prometheus CRs. */
export function addWorkloads(g: TopologyGraph, k: KubernetesState): void {
  for (const [kind, w] of workloadsOf(k)) {
    const id = g.addObject('workloads', kind, w, `${w.metadata.name} (${readiness(kind, w)})`);
    const podLabels = w.spec?.template?.metadata?.labels as Record<string, string> | undefined;
    for (const svc of k.services) {
      if (svc.metadata.namespace === w.metadata.namespace && selectorMatches(svc.spec?.selector, podLabels)) {
        g.link(objectId('Service', svc), id);
      }
    }
  }
  for (const p of k.prometheuses) {
    const id = g.addObject('workloads', 'Prometheus', p);
    // The operator makes the StatefulSet `prometheus-<name>` from the CR.
    g.link(id, `StatefulSet/${p.metadata.namespace}/prometheus-${p.metadata.name}`, 'operator', true);
  }
}

/** Nodes, and node-exporter on each (from the DaemonSet's pods). */
export function addNodes(g: TopologyGraph, k: KubernetesState): void {
  for (const n of k.nodes) g.addObject('nodes', 'Node', n);
  for (const ds of k.daemonSets) {
    for (const pod of k.pods) {
      const owned = (pod.metadata.ownerReferences ?? []).some(
        (r) => r.kind === 'DaemonSet' && r.name === ds.metadata.name,
      );
      const node = pod.spec?.nodeName;
      if (owned && typeof node === 'string') g.link(objectId('DaemonSet', ds), `Node/${node}`, 'runs on');
    }
  }
}
