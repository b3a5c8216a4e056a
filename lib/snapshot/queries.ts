/**
 * The PromQL the runtime probes send. The snapshot records each answer under `query:<name>`, so
 * these names are part of the snapshot's format: the collector asks them, the checks read them.
 */
export const PROMQL = {
  nodeExporterUp: 'count(up{job=~".*node-exporter.*"} == 1)',
  nodeExporterTargets: 'count(up{job=~".*node-exporter.*"})',
  kubeStateMetricsUp: 'sum(up{job=~".*kube-state-metrics.*"})',
  watchdog: 'ALERTS{alertname="Watchdog",alertstate="firing"}',
  nodeCount: 'count(kube_node_info)',
} as const;
