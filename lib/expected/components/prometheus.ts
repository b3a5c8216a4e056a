/** Prometheus: the CR the chart renders, the StatefulSet the operator makes of it, its storage and Ingress. */
import type { ExpectedState, StorageExpectation } from '../types';
import { present, type Chart } from './chart';
import { ingressExpectation, readIngressValues } from './ingress';
import { runtimeUrl } from './runtime';

const SPEC = 'prometheus.prometheusSpec';

export function buildPrometheus(c: Chart): ExpectedState['prometheus'] {
  const { v, full } = c;
  const enabled = v.bool('prometheus.enabled', true);
  const crName = c.clean ? full : `${full}-prometheus`;
  const serviceName = `${full}-prometheus`;
  const port = v.int('prometheus.service.port', 9090);
  const routePrefix = v.str(`${SPEC}.routePrefix`) ?? '/';
  const ingressValues = readIngressValues(c, 'prometheus');
  const paths = v.strList('prometheus.ingress.paths', []);
  const externalUrl =
    v.str(`${SPEC}.externalUrl`) ||
    (ingressValues.enabled && ingressValues.hosts.length > 0
      ? `http://${ingressValues.hosts[0]}${routePrefix}`
      : `http://${full}-prometheus.${c.namespace}:${port}`);
  const storage = prometheusStorage(c, crName);
  const ingress =
    enabled && ingressValues.enabled
      ? ingressExpectation(c, 'prometheus', ingressValues, {
          name: serviceName,
          paths: paths.length > 0 ? paths : [routePrefix],
          defaultPathType: 'ImplementationSpecific',
          servicePort: v.int('prometheus.ingress.servicePort', port),
        })
      : undefined;
  return {
    enabled,
    crName,
    statefulSetName: `prometheus-${crName}`,
    serviceName,
    port,
    replicas: v.int(`${SPEC}.replicas`, 1),
    // A null retention is not modelled (the operator then picks its own default): the chart's is kept.
    retention: v.str(`${SPEC}.retention`) ?? '10d',
    ...present('retentionSize', v.str(`${SPEC}.retentionSize`)),
    ...present('scrapeInterval', v.str(`${SPEC}.scrapeInterval`)),
    ...present('evaluationInterval', v.str(`${SPEC}.evaluationInterval`)),
    externalUrl,
    ...present('storage', storage),
    ...present('ingress', ingress),
    ...runtimeUrl(c.inputs.prometheusUrl, ingressValues.hosts),
  };
}

/** The PVC the operator makes from `storageSpec.volumeClaimTemplate` for replica 0, when one is set. */
function prometheusStorage(c: Chart, crName: string): StorageExpectation | undefined {
  const vct = `${SPEC}.storageSpec.volumeClaimTemplate`;
  if (c.v.raw(vct) === undefined || c.v.raw(vct) === null) return undefined;
  return {
    storageClassName: c.v.str(`${vct}.spec.storageClassName`),
    size: c.v.str(`${vct}.spec.resources.requests.storage`),
    accessModes: c.v.strList(`${vct}.spec.accessModes`, ['ReadWriteOnce']),
    pvcName: `${c.v.str(`${vct}.metadata.name`) ?? `prometheus-${crName}-db`}-prometheus-${crName}-0`,
  };
}
