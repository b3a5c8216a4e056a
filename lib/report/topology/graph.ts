/**
 * The graph the layer builders fill in, in drawing order: a box is added once (the first add wins),
 * and an edge is drawn only between boxes that already exist, once per pair (the first label wins).
 */
import type { K8sObject } from '../../snapshot/types';
import type { Box, Edge, Layer, Topology } from './types';

/** The `resource` string results use for a Kubernetes object: `Kind/namespace/name` or `Kind/name`. */
export function objectId(kind: string, o: K8sObject): string {
  return o.metadata.namespace ? `${kind}/${o.metadata.namespace}/${o.metadata.name}` : `${kind}/${o.metadata.name}`;
}

/** listener/app/<lb>/<id>/<id> → keep the resource-type and the trailing id readable. */
export function shortArnName(arn: string): string {
  const parts = arn.split(':').slice(5).join(':').split('/');
  return parts.length > 1 ? `${parts[0]}/${parts[parts.length - 1]}` : arn;
}

export class TopologyGraph {
  private readonly boxes = new Map<string, Box>();
  private readonly edges: Edge[] = [];

  add(b: Omit<Box, 'status' | 'findings'>): Box {
    const existing = this.boxes.get(b.id);
    if (existing) return existing;
    const box: Box = { ...b, status: 'none', findings: [] };
    this.boxes.set(b.id, box);
    return box;
  }

  /** A box for a Kubernetes object, its id being its resource string. Returns the id. */
  addObject(layer: Layer, kind: string, o: K8sObject, label: string = o.metadata.name): string {
    const id = objectId(kind, o);
    this.add({ id, resource: id, layer, kind, label });
    return id;
  }

  /** A box for an AWS resource, its id being its ARN. */
  addArn(layer: Layer, kind: string, arn: string, label: string): void {
    this.add({ id: arn, resource: arn, layer, kind, label });
  }

  get(id: string): Box | undefined {
    return this.boxes.get(id);
  }

  has(id: string): boolean {
    return this.boxes.has(id);
  }

  link(from: string, to: string, label?: string, dashed?: boolean): void {
    if (from === to || !this.boxes.has(from) || !this.boxes.has(to)) return;
    if (this.edges.some((e) => e.from === from && e.to === to)) return;
    this.edges.push({ from, to, ...(label ? { label } : {}), ...(dashed ? { dashed } : {}) });
  }

  topology(): Topology {
    return { boxes: [...this.boxes.values()], edges: [...this.edges] };
  }
}
