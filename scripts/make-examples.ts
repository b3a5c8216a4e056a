/**
 * Writes the bundled examples: examples/healthy-snapshot.json (the lab's stack, 3 nodes) and
 * examples/drifted-snapshot.json (the same stack with realistic drift). Deterministic: run
 * `node scripts/run-ts.js scripts/make-examples.ts` and the files are byte-for-byte the same.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeSnapshot } from '../lib/snapshot/load';
import type { Snapshot } from '../lib/snapshot/types';
import {
  LAB_HTTP_LISTENER_ARN,
  LAB_RULE_HTTP_DEFAULT_ARN,
  forwardAction,
  makeCertificate,
  target,
} from '../test/support/factories/aws';
import { LAB_CERT_ARN } from '../test/support/factories/expected';
import { LAB_TG_GRAFANA_ARN, LAB_TG_PROMETHEUS_ARN, byName, makePvc } from '../test/support/factories/k8s';
import { labSnapshot } from '../test/support/factories/snapshot';

export function healthyExample(): Snapshot {
  return labSnapshot();
}

/** The drift the drifted example carries, each a realistic failure seen in the field. */
export function driftedExample(): Snapshot {
  const s = labSnapshot();
  // 1. Someone removed ssl-redirect: HTTP:80 forwards in plain HTTP instead of redirecting.
  const http = s.aws.listeners.find((l) => l.ListenerArn === LAB_HTTP_LISTENER_ARN)!;
  http.DefaultActions = [forwardAction(LAB_TG_GRAFANA_ARN)];
  s.aws.rules[LAB_HTTP_LISTENER_ARN] = [
    {
      RuleArn: LAB_RULE_HTTP_DEFAULT_ARN,
      Priority: 'default',
      Conditions: [],
      Actions: [forwardAction(LAB_TG_GRAFANA_ARN)],
      IsDefault: true,
    },
  ];
  // 2. The Grafana claim is Pending (no volume could be provisioned), so its PV is gone too.
  const k = s.kubernetes;
  const grafanaPvc = byName(k.persistentVolumeClaims, 'kube-prometheus-stack-grafana');
  k.persistentVolumes = k.persistentVolumes.filter((pv) => pv.metadata.name !== grafanaPvc.spec.volumeName);
  k.persistentVolumeClaims = k.persistentVolumeClaims.map((p) =>
    p === grafanaPvc
      ? {
          ...makePvc({ name: 'kube-prometheus-stack-grafana', phase: 'Pending', size: '10Gi' }),
          metadata: {
            ...grafanaPvc.metadata,
            annotations: { 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' },
          },
        }
      : p,
  );
  const grafana = byName(k.deployments, 'kube-prometheus-stack-grafana');
  grafana.status = {
    ...grafana.status,
    readyReplicas: 0,
    availableReplicas: 0,
    unavailableReplicas: 1,
    conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
  };
  // 3. node-exporter is missing on the third node (its pod was evicted and not rescheduled).
  const ds = k.daemonSets[0];
  const lastNode = k.nodes[k.nodes.length - 1].metadata.name;
  k.pods = k.pods.filter(
    (p) => p.spec?.nodeName !== lastNode || !(p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet'),
  );
  ds.status = {
    ...ds.status,
    desiredNumberScheduled: 2,
    currentNumberScheduled: 2,
    numberReady: 2,
    numberAvailable: 2,
    updatedNumberScheduled: 2,
  };
  // 4. The Prometheus target fails its health check.
  s.aws.targetHealth[LAB_TG_PROMETHEUS_ARN] = [
    target(
      '192.168.1.50',
      9090,
      'unhealthy',
      'Target.ResponseCodeMismatch',
      'Health checks failed with these codes: [503]',
    ),
  ];
  // 5. The certificate expires in 10 days (renewal is stuck on DNS validation).
  s.aws.certificates[LAB_CERT_ARN] = makeCertificate({ daysLeft: 10, RenewalEligibility: 'ELIGIBLE' });
  return s;
}

if (require.main === module) {
  const dir = join(__dirname, '..', 'examples');
  writeFileSync(join(dir, 'healthy-snapshot.json'), serializeSnapshot(healthyExample()));
  writeFileSync(join(dir, 'drifted-snapshot.json'), serializeSnapshot(driftedExample()));
  process.stdout.write(`wrote ${join(dir, 'healthy-snapshot.json')} and drifted-snapshot.json\n`);
}
