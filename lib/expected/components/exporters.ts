/** The exporters the chart installs as subcharts: node-exporter on every node, kube-state-metrics. */
import type { ExpectedState } from '../types';
import { subchartFullname, type Chart } from './chart';

export function buildNodeExporter(c: Chart): ExpectedState['nodeExporter'] {
  const enabled = c.v.condition('nodeExporter.enabled');
  const name = subchartFullname(c, 'prometheus-node-exporter');
  return {
    enabled,
    daemonSetName: name,
    serviceName: name,
    port: c.v.int('prometheus-node-exporter.service.port', 9100),
  };
}

export function buildKubeStateMetrics(c: Chart): ExpectedState['kubeStateMetrics'] {
  const enabled = c.v.condition('kubeStateMetrics.enabled');
  const name = subchartFullname(c, 'kube-state-metrics');
  return { enabled, deploymentName: name, serviceName: name, port: 8080 };
}
