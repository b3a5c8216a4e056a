/**
 * Expected state from user values, as chart kube-prometheus-stack 45.27.2 renders them.
 * Defaults are those of the chart's values.yaml and its subcharts (grafana 6.56, kube-state-metrics
 * 5.5, prometheus-node-exporter 4.16). Keys not read here are ignored, as Helm ignores unknown
 * keys; a key that is read but has the wrong type is a ConfigError naming the source and path.
 */
import { buildAlb } from './components/alb';
import { present, readChart } from './components/chart';
import { buildKubeStateMetrics, buildNodeExporter } from './components/exporters';
import { buildGrafana } from './components/grafana';
import { noteIncompleteHosts, servedHosts, stackDomain } from './components/ingress';
import { buildAlertmanager, buildOperator, stackCrds } from './components/operator';
import { buildPrometheus } from './components/prometheus';
import { buildHeartbeat } from './components/runtime';
import { expectedServiceMonitors } from './components/service-monitors';
import { CHART_NAME, CHART_VERSION, DEFAULT_THRESHOLDS, type ExpectedState } from './types';
import { Reader, type ExpectedInputs, type ValuesWithOrigins } from './reader';

export { Reader, type ExpectedInputs, type ValuesWithOrigins };

export { albSettings, parseListenPorts } from './components/alb';

/**
 * One builder per component (lib/expected/components/), in the order the chart's values.yaml lists
 * them; the ALB, the hosts and the certificate follow from the Ingresses the components render.
 */
export function buildExpected(
  user: ValuesWithOrigins,
  inputs: ExpectedInputs = {},
  valuesSource: ExpectedState['valuesSource'] = 'files',
): ExpectedState {
  const v = new Reader(user.values, user.origins ?? {});
  const chart = readChart(v, inputs);
  const prometheus = buildPrometheus(chart);
  const grafana = buildGrafana(chart);
  const components = {
    prometheus,
    grafana,
    nodeExporter: buildNodeExporter(chart),
    kubeStateMetrics: buildKubeStateMetrics(chart),
    operator: buildOperator(chart),
    alertmanager: buildAlertmanager(chart),
  };
  const serviceMonitors = expectedServiceMonitors(chart, components);
  const defaultRules = v.bool('defaultRules.create', true);
  const { alb, certificateArn } = buildAlb([prometheus.ingress, grafana.ingress], inputs.certArn);
  const hosts = servedHosts([prometheus.ingress, grafana.ingress]);
  const domain = stackDomain(chart, hosts);
  noteIncompleteHosts(chart, hosts);
  return {
    chart: { name: CHART_NAME, version: CHART_VERSION },
    release: chart.release,
    namespace: chart.namespace,
    ...present('domain', domain),
    valuesSource,
    values: user.values,
    ...components,
    defaultRules,
    crds: stackCrds(),
    serviceMonitors,
    alb,
    ...present('certificateArn', certificateArn),
    hosts,
    heartbeat: buildHeartbeat(inputs),
    thresholds: { ...DEFAULT_THRESHOLDS, ...inputs.thresholds },
    notes: chart.notes,
  };
}
