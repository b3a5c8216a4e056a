/** The topology's plain data: boxes in layers, and the edges between them. */
import type { Status } from '../../checks/types';

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

export const STATUS_RANK: Record<BoxStatus, number> = { none: 0, skip: 1, pass: 2, error: 3, fail: 4 };
