/** Definitions: the CRDs the operator serves, and the ServiceMonitors. */
import type { KubernetesState } from '../../snapshot/types';
import { objectId, type TopologyGraph } from './graph';

export function addDefinitions(g: TopologyGraph, k: KubernetesState): void {
  const operator = k.deployments.find((d) => /operator/.test(d.metadata.name));
  for (const crd of k.customResourceDefinitions) {
    const id = g.addObject('definitions', 'CustomResourceDefinition', crd);
    if (operator && crd.metadata.name.endsWith('.monitoring.coreos.com'))
      g.link(objectId('Deployment', operator), id, 'serves', true);
  }
  for (const sm of k.serviceMonitors) g.addObject('definitions', 'ServiceMonitor', sm);
}
