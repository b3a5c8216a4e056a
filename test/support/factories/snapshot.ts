import { DATA_KEYS, SNAPSHOT_KIND, SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../../../lib/snapshot/types';
import { CLUSTER, LAB_NOW, labAwsState, REGION, type LabAwsOptions } from './aws';
import { labKubernetesState, type LabK8sOptions } from './k8s';

/** The lab's healthy snapshot (3 nodes), without runtime/heartbeat parts. */
export function labSnapshot(opts: LabK8sOptions & LabAwsOptions = {}): Snapshot {
  return {
    kind: SNAPSHOT_KIND,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster: opts.cluster ?? CLUSTER,
    region: REGION,
    collectedAt: LAB_NOW,
    source: 'fixture',
    target: { namespace: 'monitoring', release: 'kube-prometheus-stack' },
    collected: DATA_KEYS.filter((k) => k.startsWith('k8s.') || k.startsWith('aws.')),
    kubernetes: labKubernetesState(opts),
    aws: labAwsState(opts),
    runtime: {},
    errors: [],
  };
}
