/**
 * Remediations name the actual object: a check's remediation is a template whose placeholders
 * are filled from the result's resource and the expected state (pure). A placeholder that cannot
 * be filled (say `<domain>` with no domain known) is left for the reader.
 *
 * Placeholders: `<name>` `<namespace>` `<object>` (kubectl's `-n NS kind NAME`), `<arn>`,
 * `<listener-arn>` (of a listener or a rule), `<lb-name>`, `<crd-plural>`, `<release>`,
 * `<domain>`, `<prometheus-url>`, `<grafana-url>`, `<prometheus-service>`, `<prometheus-port>`.
 */
import type { ExpectedState } from '../expected/types';

const KUBECTL_KIND: Record<string, string> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  PersistentVolumeClaim: 'pvc',
  PersistentVolume: 'pv',
  Ingress: 'ingress',
  Service: 'svc',
  Namespace: 'namespace',
  StorageClass: 'storageclass',
  CustomResourceDefinition: 'crd',
  Secret: 'secret',
  TargetGroupBinding: 'targetgroupbinding',
  ServiceMonitor: 'servicemonitor',
  Prometheus: 'prometheus',
};

interface Parsed {
  kind?: string;
  namespace?: string;
  name?: string;
  arn?: string;
}

function parseResource(resource: string): Parsed {
  if (resource.startsWith('arn:')) return { arn: resource };
  const parts = resource.split('/');
  if (parts.length === 3) return { kind: parts[0], namespace: parts[1], name: parts[2] };
  if (parts.length === 2) return { kind: parts[0], name: parts[1] };
  return {};
}

/** The listener of a listener or listener-rule ARN. */
function listenerArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m =
    /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener(?:-rule)?\/(app|net)\/([^/]+)\/([^/]+)\/([^/]+)/.exec(arn);
  return m ? `${m[1]}listener/${m[2]}/${m[3]}/${m[4]}/${m[5]}` : undefined;
}

function lbName(arn: string | undefined, expected: ExpectedState): string | undefined {
  if (expected.alb.loadBalancerName) return expected.alb.loadBalancerName;
  const m = arn && /:(?:loadbalancer|listener|listener-rule)\/(?:app|net)\/([^/]+)\//.exec(arn);
  return m ? m[1] : undefined;
}

export function fillRemediation(text: string, resource: string, expected: ExpectedState): string {
  if (!text.includes('<')) return text;
  const r = parseResource(resource);
  const ns = r.namespace ?? expected.namespace;
  const kind = r.kind ? (KUBECTL_KIND[r.kind] ?? r.kind.toLowerCase()) : undefined;
  const values: Record<string, string | undefined> = {
    name: r.name,
    namespace: ns,
    object: kind && r.name ? `${r.namespace ? `-n ${r.namespace} ` : ''}${kind} ${r.name}` : undefined,
    arn: r.arn && !r.arn.includes(':::') ? r.arn : undefined,
    'listener-arn': listenerArn(r.arn),
    'lb-name': lbName(r.arn, expected),
    'crd-plural': r.kind === 'CustomResourceDefinition' ? r.name?.split('.')[0] : undefined,
    release: expected.release,
    domain: expected.domain,
    'prometheus-url': expected.prometheus.url?.replace(/\/+$/, ''),
    'grafana-url': expected.grafana.url?.replace(/\/+$/, ''),
    'prometheus-service': expected.prometheus.serviceName,
    'prometheus-port': String(expected.prometheus.port),
  };
  return text.replace(/<([a-z][a-z-]*)>/g, (whole, key: string) => values[key] ?? whole);
}
