/** Grafana (subchart 6.56): its Deployment and Service, its PVC when persistence is on, its Ingress. */
import type { ExpectedState, StorageExpectation } from '../types';
import { present, subchartFullname, type Chart } from './chart';
import { ingressExpectation, readIngressValues } from './ingress';
import { runtimeUrl } from './runtime';

export function buildGrafana(c: Chart): ExpectedState['grafana'] {
  const { v } = c;
  const enabled = v.condition('grafana.enabled');
  const name = subchartFullname(c, 'grafana');
  const ingressValues = readIngressValues(c, 'grafana');
  const servicePort = v.int('grafana.service.port', 80);
  const storage = grafanaStorage(c, enabled, name);
  if (v.raw('grafana.ingress.paths') !== undefined && v.raw('grafana.ingress.paths') !== null) {
    c.notes.push('grafana.ingress.paths is not read by the grafana subchart (it uses grafana.ingress.path); ignored');
  }
  const ingress =
    enabled && ingressValues.enabled
      ? ingressExpectation(c, 'grafana', ingressValues, {
          name,
          // The subchart's ingress reads `path`, not `paths`.
          paths: [v.str('grafana.ingress.path') ?? '/'],
          defaultPathType: 'Prefix',
          servicePort,
        })
      : undefined;
  return {
    enabled,
    deploymentName: name,
    serviceName: name,
    servicePort,
    targetPort: v.int('grafana.service.targetPort', 3000),
    ...present('storage', storage),
    ...present('ingress', ingress),
    ...runtimeUrl(c.inputs.grafanaUrl, ingressValues.hosts),
  };
}

/** The PVC the subchart makes (or the existing claim it mounts) when `persistence` is a PVC. */
function grafanaStorage(c: Chart, enabled: boolean, name: string): StorageExpectation | undefined {
  const persist = c.v.bool('grafana.persistence.enabled', false);
  const type = c.v.str('grafana.persistence.type', 'pvc');
  if (!enabled || !persist || type !== 'pvc') return undefined;
  return {
    storageClassName: c.v.str('grafana.persistence.storageClassName'),
    size: c.v.str('grafana.persistence.size', '10Gi'),
    accessModes: c.v.strList('grafana.persistence.accessModes', ['ReadWriteOnce']),
    pvcName: c.v.str('grafana.persistence.existingClaim') ?? name,
  };
}
