/**
 * The live topology of the stack as a layered graph (pure): client → ALB → listeners → rules →
 * target groups ↔ TargetGroupBindings → Services → workloads → PVC → PV → StorageClass, with
 * node-exporter on every node and the operator's CRDs. Each box carries the status of the results
 * about its resource, so the drawing shows where the drift is.
 *
 * Drawn resources: every load balancer, listener, non-default rule, target group, certificate,
 * Ingress, TargetGroupBinding, Service, StatefulSet/Deployment/DaemonSet, Prometheus CR, PVC, PV,
 * StorageClass, Node, CRD and ServiceMonitor of the snapshot, plus the namespace — each exactly
 * once. Pods and Endpoints are folded into their workloads. A failing
 * result about something absent from the snapshot gets a dashed "missing" box.
 *
 * One builder per layer group, called in drawing order: an edge is drawn only once both of its
 * boxes exist, so each builder links to the layers built before it.
 */
import type { Result } from '../../checks/types';
import type { ExpectedState } from '../../expected/types';
import type { Snapshot } from '../../snapshot/types';
import { addDefinitions } from './definitions';
import { addFindings, foldLayers } from './findings';
import { TopologyGraph } from './graph';
import { addClients, addListeners, addLoadBalancers, addRules, addTargetGroups, clientHosts } from './load-balancer';
import { addBindings, addIngresses, addServices } from './routing';
import { addStorage } from './storage';
import type { Topology } from './types';
import { addNamespaces, addNodes, addWorkloads } from './workloads';

export { LAYERS, MAX_BOXES_PER_LAYER, type Box, type BoxStatus, type Edge, type Layer, type Topology } from './types';
export { topologyMermaid } from './mermaid';

export function buildTopology(snapshot: Snapshot, results: readonly Result[], expected?: ExpectedState): Topology {
  const { kubernetes: k, aws } = snapshot;
  const g = new TopologyGraph();
  const hosts = clientHosts(k, expected);
  addClients(g, hosts);
  addLoadBalancers(g, aws, hosts);
  addListeners(g, aws);
  addTargetGroups(g, aws);
  addRules(g, aws);
  addNamespaces(g, k);
  addBindings(g, k);
  addIngresses(g, k, aws);
  addServices(g, k);
  addWorkloads(g, k);
  addStorage(g, k);
  addNodes(g, k);
  addDefinitions(g, k);
  addFindings(g, results);
  return foldLayers(g.topology());
}
