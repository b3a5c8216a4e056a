/**
 * The manifest Helm records in a release, as `helm get manifest` prints it: one YAML document per
 * rendered object, each after `---` and a `# Source: <chart>/templates/<file>` comment, holding
 * what the templates render (no status, uid, resourceVersion, creationTimestamp, defaults filled by
 * the API server such as clusterIP, or the Deployment revision annotation), and objects the
 * verifier never reads (ServiceAccounts, ConfigMaps, the Grafana admin Secret) and objects in
 * other namespaces (the chart's kube-system Services for CoreDNS and kube-proxy), as the real
 * chart does. Rendered from the live objects of a fixture, so the two agree the way a healthy
 * install agrees with its release.
 */
import { stringify } from 'yaml';
import type { K8sObject, KubernetesState } from '../../../lib/snapshot/types';

const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
  'ownerReferences',
];

/** The object as the template rendered it: what the API server added is taken away. */
export function asRendered(o: K8sObject): K8sObject {
  const metadata: Record<string, unknown> = { ...o.metadata };
  for (const k of SERVER_METADATA) delete metadata[k];
  const annotations = { ...(o.metadata.annotations ?? {}) };
  delete annotations['deployment.kubernetes.io/revision'];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const { status: _status, ...rest } = o;
  const out = { ...rest, metadata } as K8sObject;
  if (o.kind === 'Service' && out.spec) {
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = out.spec;
    out.spec = spec;
  }
  return out;
}

const SOURCES: Record<string, (name: string) => string> = {
  Deployment: (n) =>
    n.endsWith('-grafana')
      ? 'charts/grafana/templates/deployment.yaml'
      : n.endsWith('-kube-state-metrics')
        ? 'charts/kube-state-metrics/templates/deployment.yaml'
        : 'templates/prometheus-operator/deployment.yaml',
  DaemonSet: () => 'charts/prometheus-node-exporter/templates/daemonset.yaml',
  Service: (n) =>
    n.endsWith('-grafana')
      ? 'charts/grafana/templates/service.yaml'
      : n.endsWith('-kube-state-metrics')
        ? 'charts/kube-state-metrics/templates/service.yaml'
        : n.endsWith('-node-exporter')
          ? 'charts/prometheus-node-exporter/templates/service.yaml'
          : n.endsWith('-operator')
            ? 'templates/prometheus-operator/service.yaml'
            : n.endsWith('-coredns') || n.endsWith('-kube-proxy')
              ? `templates/exporters/${n.replace('kube-prometheus-stack-', '')}/service.yaml`
              : 'templates/prometheus/service.yaml',
  Ingress: (n) =>
    n.endsWith('-grafana') ? 'charts/grafana/templates/ingress.yaml' : 'templates/prometheus/ingress.yaml',
  Prometheus: () => 'templates/prometheus/prometheus.yaml',
  ServiceMonitor: (n) => `templates/exporters/${n.replace('kube-prometheus-stack-', '')}/servicemonitor.yaml`,
  ServiceAccount: (n) => `templates/${n.replace('kube-prometheus-stack-', '')}/serviceaccount.yaml`,
  ConfigMap: () => 'charts/grafana/templates/configmap.yaml',
  Secret: () => 'charts/grafana/templates/secret.yaml',
};

function doc(chart: string, o: K8sObject): string {
  const source = SOURCES[o.kind ?? '']?.(o.metadata.name) ?? 'templates/other.yaml';
  return `---\n# Source: ${chart}/${source}\n${stringify(o, { lineWidth: 0 })}`;
}

function extraObjects(ns: string, release: string, grafanaAdminPassword: string): K8sObject[] {
  const labels = { 'app.kubernetes.io/managed-by': 'Helm', release };
  const kubeSystemService = (name: string, port: number, selector: Record<string, string>): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${release}-${name}`, namespace: 'kube-system', labels: { ...labels, jobLabel: name } },
    spec: { clusterIP: 'None', ports: [{ name: 'http-metrics', port, protocol: 'TCP', targetPort: port }], selector },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: `${release}-grafana`, namespace: ns, labels },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: `${release}-operator`, namespace: ns, labels },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: `${release}-grafana`, namespace: ns, labels },
      data: {
        'admin-user': Buffer.from('admin').toString('base64'),
        'admin-password': Buffer.from(grafanaAdminPassword).toString('base64'),
        'ldap-toml': '',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${release}-grafana`, namespace: ns, labels },
      data: { 'grafana.ini': '[analytics]\ncheck_for_updates = true\n[log]\nmode = console\n' },
    },
    kubeSystemService('coredns', 9153, { 'k8s-app': 'kube-dns' }),
    kubeSystemService('kube-proxy', 10249, { 'k8s-app': 'kube-proxy' }),
  ];
}

/**
 * The manifest of a release whose objects are `state`'s (Deployments, DaemonSets, Services,
 * Ingresses, the Prometheus resource, ServiceMonitors), plus what the chart renders besides.
 */
export function renderManifest(
  state: Pick<
    KubernetesState,
    'deployments' | 'daemonSets' | 'services' | 'ingresses' | 'prometheuses' | 'serviceMonitors'
  >,
  opts: { namespace?: string; release?: string; chart?: string; grafanaAdminPassword?: string } = {},
): string {
  const ns = opts.namespace ?? 'monitoring';
  const release = opts.release ?? 'kube-prometheus-stack';
  const chart = opts.chart ?? 'kube-prometheus-stack';
  const rendered = [
    ...extraObjects(ns, release, opts.grafanaAdminPassword ?? 'prom-operator'),
    ...state.services,
    ...state.deployments,
    ...state.daemonSets,
    ...state.ingresses,
    ...state.prometheuses,
    ...state.serviceMonitors,
  ].map(asRendered);
  return rendered.map((o) => doc(chart, o)).join('');
}
