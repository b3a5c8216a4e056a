/** The operator's CRDs and the stack's ServiceMonitors. */
import type { Check } from './types';
import { clusterRef, condition, fail, find, judge, ref } from './util';

export const crdChecks: Check[] = [
  {
    code: 'CRD001',
    family: 'crds',
    title: 'monitoring.coreos.com CRD is installed',
    severity: 'critical',
    description:
      'Each CustomResourceDefinition of the Prometheus operator (alertmanagerconfigs, alertmanagers, podmonitors, probes, prometheuses, prometheusrules, servicemonitors, thanosrulers) exists and is Established.',
    remediation:
      'Install the CRDs of chart 45.27.2: kubectl apply --server-side -f https://raw.githubusercontent.com/prometheus-community/helm-charts/kube-prometheus-stack-45.27.2/charts/kube-prometheus-stack/crds/crd-<crd-plural>.yaml',
    requires: ['k8s.customResourceDefinitions'],
    resource: (ctx) => clusterRef('CustomResourceDefinition', ctx.expected.crds[0]),
    run(ctx) {
      return ctx.expected.crds.map((name) => {
        const r = clusterRef('CustomResourceDefinition', name);
        const crd = find(ctx.snapshot.kubernetes.customResourceDefinitions, name);
        if (!crd) return fail(r, `CRD ${name} is not installed`, { expected: 'Established', actual: null });
        const est = condition(crd, 'Established')?.status;
        return judge(
          est === 'True',
          r,
          'installed and Established',
          `installed but Established is ${est ?? 'unknown'}`,
          { expected: 'Established', actual: est ?? null },
        );
      });
    },
  },
  {
    code: 'CRD002',
    family: 'crds',
    title: 'ServiceMonitor exists',
    severity: 'warning',
    description:
      'The ServiceMonitors the chart creates for its enabled components (apiserver, coredns, kube-proxy, kubelet, operator, prometheus, grafana, kube-state-metrics, node-exporter, …) exist, so Prometheus scrapes them.',
    remediation:
      'helm upgrade the release (the chart recreates its ServiceMonitors); kubectl -n <namespace> get servicemonitors',
    requires: ['k8s.serviceMonitors'],
    resource: (ctx) => ref('ServiceMonitor', ctx.expected.namespace, ctx.expected.serviceMonitors[0] ?? ''),
    run(ctx) {
      return ctx.expected.serviceMonitors.map((name) => {
        const r = ref('ServiceMonitor', ctx.expected.namespace, name);
        const sm = find(ctx.snapshot.kubernetes.serviceMonitors, name, ctx.expected.namespace);
        return judge(!!sm, r, 'exists', 'does not exist: its targets are not scraped', {
          expected: 'present',
          actual: sm ? 'present' : null,
        });
      });
    },
  },
];
