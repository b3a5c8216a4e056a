import { join } from 'node:path';
import { loadUserValues } from '../../../lib/expected/values';
import {
  CHART_NAME,
  CHART_VERSION,
  DEFAULT_THRESHOLDS,
  STACK_CRDS,
  type ExpectedState,
  type IngressExpectation,
} from '../../../lib/expected/types';

/** The lab's certificate ARN used across fixtures and examples. */
export const LAB_CERT_ARN = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
export const LAB_DOMAIN = 'example.com';

function albAnnotations(certArn: string): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}, {"HTTP":80}]',
    'alb.ingress.kubernetes.io/certificate-arn': certArn,
    'alb.ingress.kubernetes.io/success-codes': '200-399',
    'alb.ingress.kubernetes.io/load-balancer-name': 'myeks-ingress-alb',
    'alb.ingress.kubernetes.io/group.name': 'study',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
  };
}

function ingress(
  name: string,
  host: string,
  paths: string[],
  pathType: string,
  serviceName: string,
  servicePort: number,
  certArn: string,
): IngressExpectation {
  return {
    name,
    className: 'alb',
    hosts: [host],
    paths,
    pathType,
    serviceName,
    servicePort,
    annotations: albAnnotations(certArn),
    alb: {
      groupName: 'study',
      loadBalancerName: 'myeks-ingress-alb',
      certificateArns: [certArn],
      scheme: 'internet-facing',
      targetType: 'ip',
      listenPorts: [
        { protocol: 'HTTPS', port: 443 },
        { protocol: 'HTTP', port: 80 },
      ],
      sslRedirectPort: 443,
      successCodes: '200-399',
    },
  };
}

/** The lab's user values after envsubst and the two --set flags, as Helm received (and recorded) them. */
export function labValues(domain = LAB_DOMAIN, certArn = LAB_CERT_ARN): Record<string, unknown> {
  return loadUserValues({
    valuesFiles: [join(__dirname, '../../../examples/monitor-values.yaml')],
    sets: ['prometheus.prometheusSpec.scrapeInterval=15s', 'prometheus.prometheusSpec.evaluationInterval=15s'],
    env: { MyDomain: domain, CERT_ARN: certArn },
  }).values;
}

/**
 * The expected state of the lab's install: monitor-values.yaml with MyDomain=example.com and the
 * lab certificate, plus `--set` scrape/evaluation interval 15s, release `kube-prometheus-stack` in
 * `monitoring`, chart 45.27.2.
 * Pass overrides for variants.
 */
export function labExpected(overrides: Partial<ExpectedState> = {}): ExpectedState {
  const domain = LAB_DOMAIN;
  const cert = LAB_CERT_ARN;
  const base: ExpectedState = {
    chart: { name: CHART_NAME, version: CHART_VERSION },
    release: 'kube-prometheus-stack',
    namespace: 'monitoring',
    domain,
    valuesSource: 'files',
    values: labValues(domain, cert),
    prometheus: {
      enabled: true,
      crName: 'kube-prometheus-stack-prometheus',
      statefulSetName: 'prometheus-kube-prometheus-stack-prometheus',
      serviceName: 'kube-prometheus-stack-prometheus',
      port: 9090,
      replicas: 1,
      retention: '5d',
      retentionSize: '10GiB',
      scrapeInterval: '15s',
      evaluationInterval: '15s',
      externalUrl: `http://prometheus.${domain}/`,
      storage: {
        storageClassName: 'gp3',
        size: '20Gi',
        accessModes: ['ReadWriteOnce'],
        pvcName: 'prometheus-kube-prometheus-stack-prometheus-db-prometheus-kube-prometheus-stack-prometheus-0',
      },
      ingress: ingress(
        'kube-prometheus-stack-prometheus',
        `prometheus.${domain}`,
        ['/*'],
        'ImplementationSpecific',
        'kube-prometheus-stack-prometheus',
        9090,
        cert,
      ),
      url: `https://prometheus.${domain}`,
    },
    grafana: {
      enabled: true,
      deploymentName: 'kube-prometheus-stack-grafana',
      serviceName: 'kube-prometheus-stack-grafana',
      servicePort: 80,
      targetPort: 3000,
      storage: {
        storageClassName: 'gp3',
        size: '10Gi',
        accessModes: ['ReadWriteOnce'],
        pvcName: 'kube-prometheus-stack-grafana',
      },
      // The grafana subchart (6.56) reads `ingress.path` (default "/"), not `paths`: the lab's `paths: [/*]` is ignored.
      ingress: ingress(
        'kube-prometheus-stack-grafana',
        `grafana.${domain}`,
        ['/'],
        'Prefix',
        'kube-prometheus-stack-grafana',
        80,
        cert,
      ),
      url: `https://grafana.${domain}`,
    },
    nodeExporter: {
      enabled: true,
      daemonSetName: 'kube-prometheus-stack-prometheus-node-exporter',
      serviceName: 'kube-prometheus-stack-prometheus-node-exporter',
      port: 9100,
    },
    kubeStateMetrics: {
      enabled: true,
      deploymentName: 'kube-prometheus-stack-kube-state-metrics',
      serviceName: 'kube-prometheus-stack-kube-state-metrics',
      port: 8080,
    },
    operator: {
      enabled: true,
      deploymentName: 'kube-prometheus-stack-operator',
      serviceName: 'kube-prometheus-stack-operator',
    },
    alertmanager: {
      enabled: false,
      crName: 'kube-prometheus-stack-alertmanager',
      statefulSetName: 'alertmanager-kube-prometheus-stack-alertmanager',
    },
    defaultRules: false,
    crds: [...STACK_CRDS],
    serviceMonitors: [
      'kube-prometheus-stack-apiserver',
      'kube-prometheus-stack-coredns',
      'kube-prometheus-stack-kube-proxy',
      'kube-prometheus-stack-kubelet',
      'kube-prometheus-stack-operator',
      'kube-prometheus-stack-prometheus',
      'kube-prometheus-stack-grafana',
      'kube-prometheus-stack-kube-state-metrics',
      'kube-prometheus-stack-prometheus-node-exporter',
    ],
    alb: {
      groupName: 'study',
      loadBalancerName: 'myeks-ingress-alb',
      certificateArn: cert,
      httpsPort: 443,
      httpRedirectFromPort: 80,
    },
    certificateArn: cert,
    hosts: [`prometheus.${domain}`, `grafana.${domain}`],
    heartbeat: { maxAgeSeconds: 600 },
    thresholds: { ...DEFAULT_THRESHOLDS },
    notes: [],
  };
  return { ...base, ...overrides };
}
