/**
 * The results on the drawing: each box takes the worst status of the results about its resource;
 * a failing result about something absent from the snapshot gets a dashed "missing" box. Then
 * big layers are folded so the drawing stays readable.
 */
import type { Result } from '../../checks/types';
import { shortArnName, type TopologyGraph } from './graph';
import {
  LAYERS,
  MAX_BOXES_PER_LAYER,
  STATUS_RANK,
  type Box,
  type BoxStatus,
  type Edge,
  type Layer,
  type Topology,
} from './types';

const LAYER_OF_KIND: Record<string, Layer> = {
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

/** Maps a result resource that has no box to the layer its kind belongs to. */
function layerForResource(resource: string): Layer {
  if (resource.startsWith('arn:aws:acm')) return 'load balancer';
  if (/:loadbalancer\//.test(resource)) return 'load balancer';
  if (/:listener\//.test(resource)) return 'listeners';
  if (/:listener-rule\//.test(resource)) return 'rules';
  if (/:targetgroup\//.test(resource)) return 'target groups';
  return LAYER_OF_KIND[resource.split('/')[0]] ?? 'other findings';
}

function worst(a: BoxStatus, b: BoxStatus): BoxStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

export function addFindings(g: TopologyGraph, results: readonly Result[]): void {
  results.forEach((r, index) => {
    let box = g.get(r.resource);
    if (!box) {
      if (r.status !== 'fail' && r.status !== 'error') return;
      const arn = r.resource.startsWith('arn:');
      box = g.add({
        id: `missing:${r.resource}`,
        resource: r.resource,
        layer: layerForResource(r.resource),
        kind: arn ? 'AWS' : r.resource.split('/')[0],
        label: arn ? shortArnName(r.resource) : r.resource.split('/').slice(1).join('/'),
        missing: true,
      });
    }
    box.findings.push(index);
    box.status = worst(box.status, r.status);
  });
}

/** Keeps each layer to MAX_BOXES_PER_LAYER boxes: failing ones first, the rest folded into "+N more". */
export function foldLayers(t: Topology): Topology {
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
    const id = `more:${layer}`;
    extra.push({
      id,
      layer,
      kind: 'More',
      label: `+${hidden.length} more ${layer}`,
      status: hidden.reduce<BoxStatus>((s, b) => worst(s, b.status), 'none'),
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
