/** The ServiceMonitors the chart creates for what is enabled. */
import type { ExpectedState } from '../types';
import type { Chart } from './chart';

type Components = Pick<
  ExpectedState,
  'prometheus' | 'grafana' | 'nodeExporter' | 'kubeStateMetrics' | 'operator' | 'alertmanager'
>;

/** The control-plane components the chart scrapes, by values key, with the chart's default. */
const CONTROL_PLANE: ReadonlyArray<[key: string, suffix: string, enabledByDefault: boolean]> = [
  ['kubeApiServer', 'apiserver', true],
  ['coreDns', 'coredns', true],
  ['kubeDns', 'kube-dns', false],
  ['kubeControllerManager', 'kube-controller-manager', true],
  ['kubeEtcd', 'kube-etcd', true],
  ['kubeScheduler', 'kube-scheduler', true],
  ['kubeProxy', 'kube-proxy', true],
  ['kubelet', 'kubelet', true],
];

export function expectedServiceMonitors(c: Chart, s: Components): string[] {
  const { v, full } = c;
  const sm = CONTROL_PLANE.filter(([key, , def]) => v.bool(`${key}.enabled`, def)).map(
    ([, suffix]) => `${full}-${suffix}`,
  );
  // Self-monitoring is only read for a component that is enabled.
  if (s.operator.enabled && v.bool('prometheusOperator.serviceMonitor.selfMonitor', true)) sm.push(`${full}-operator`);
  if (s.prometheus.enabled && v.bool('prometheus.serviceMonitor.selfMonitor', true)) sm.push(`${full}-prometheus`);
  if (s.alertmanager.enabled && v.bool('alertmanager.serviceMonitor.selfMonitor', true))
    sm.push(`${full}-alertmanager`);
  if (s.grafana.enabled && v.bool('grafana.serviceMonitor.enabled', true)) sm.push(s.grafana.deploymentName);
  if (s.kubeStateMetrics.enabled) sm.push(s.kubeStateMetrics.deploymentName);
  if (s.nodeExporter.enabled) sm.push(s.nodeExporter.daemonSetName);
  return sm;
}
