/**
 * The expected state: what a correct install looks like, derived from chart defaults, values
 * files, `--set` and flags (docs/cli.md). Built by `buildExpected` (lib/expected);
 * read by the checks. Plain data.
 */

export const CHART_NAME = 'kube-prometheus-stack';
export const CHART_VERSION = '45.27.2';
export const DEFAULT_RELEASE = 'kube-prometheus-stack';
export const DEFAULT_NAMESPACE = 'monitoring';

/** The CRDs the chart installs (group monitoring.coreos.com). */
export const STACK_CRDS = [
  'alertmanagerconfigs.monitoring.coreos.com',
  'alertmanagers.monitoring.coreos.com',
  'podmonitors.monitoring.coreos.com',
  'probes.monitoring.coreos.com',
  'prometheuses.monitoring.coreos.com',
  'prometheusrules.monitoring.coreos.com',
  'servicemonitors.monitoring.coreos.com',
  'thanosrulers.monitoring.coreos.com',
] as const;

/** Judgement limits, plain data for the checks (docs/config.md `overrides.thresholds`). */
export interface CheckThresholds {
  /** CRT002: fewer days of validity than this is a warning. */
  certificateWarningDays: number;
  /** CRT002: fewer days than this is critical. */
  certificateCriticalDays: number;
  /** ALB008: a target whose pod started less than this long ago may still be `initial`/`unhealthy`. */
  targetHealthGraceSeconds: number;
}

export const DEFAULT_THRESHOLDS: CheckThresholds = {
  certificateWarningDays: 30,
  certificateCriticalDays: 14,
  targetHealthGraceSeconds: 0,
};

/** The ALB settings carried by an Ingress's `alb.ingress.kubernetes.io/*` annotations. */
export interface AlbIngressSettings {
  /** `alb.ingress.kubernetes.io/group.name` */
  groupName?: string;
  /** `alb.ingress.kubernetes.io/load-balancer-name` */
  loadBalancerName?: string;
  /** `alb.ingress.kubernetes.io/certificate-arn` (may be a comma-separated list upstream; split). */
  certificateArns: string[];
  /** `alb.ingress.kubernetes.io/scheme` */
  scheme?: string;
  /** `alb.ingress.kubernetes.io/target-type` */
  targetType?: string;
  /** Parsed `alb.ingress.kubernetes.io/listen-ports`, e.g. [{protocol:'HTTPS',port:443},{protocol:'HTTP',port:80}] */
  listenPorts: Array<{ protocol: 'HTTP' | 'HTTPS'; port: number }>;
  /** `alb.ingress.kubernetes.io/ssl-redirect` as a port number. */
  sslRedirectPort?: number;
  /** `alb.ingress.kubernetes.io/success-codes` */
  successCodes?: string;
}

export interface IngressExpectation {
  /** Ingress object name, e.g. `kube-prometheus-stack-prometheus`. */
  name: string;
  className?: string;
  hosts: string[];
  paths: string[];
  /** The path type the chart renders (`ImplementationSpecific` for prometheus, `Prefix` for grafana 6.x). */
  pathType?: string;
  /** Backend service and port the Ingress routes to. */
  serviceName: string;
  servicePort: number;
  /** All annotations, after substitution. */
  annotations: Record<string, string>;
  alb: AlbIngressSettings;
}

export interface StorageExpectation {
  storageClassName?: string;
  size?: string;
  accessModes: string[];
  /** Name of the PVC the chart/operator creates. */
  pvcName: string;
}

export interface ExpectedState {
  chart: { name: string; version: string };
  release: string;
  namespace: string;
  /** The domain hosts are built on, when known (`--domain` or derived from the ingress hosts). */
  domain?: string;
  /** Where the user values came from. */
  valuesSource: 'files' | 'release' | 'defaults';
  /** The merged user values (files + --set), as Helm would receive them. */
  values: Record<string, unknown>;

  prometheus: {
    enabled: boolean;
    /** Prometheus CR name, `<fullname>-prometheus` (e.g. `kube-prometheus-stack-prometheus`). */
    crName: string;
    /** StatefulSet the operator makes: `prometheus-<crName>`. */
    statefulSetName: string;
    serviceName: string;
    port: number;
    replicas: number;
    /** `--storage.tsdb.retention.time` */
    retention: string;
    /** `--storage.tsdb.retention.size`, or undefined when unset. */
    retentionSize?: string;
    scrapeInterval?: string;
    evaluationInterval?: string;
    /** `--web.external-url` as the chart renders it, when determinable. */
    externalUrl?: string;
    storage?: StorageExpectation;
    ingress?: IngressExpectation;
    /** URL the runtime checks use (`--prometheus-url` or `https://<first host>`). */
    url?: string;
  };
  grafana: {
    enabled: boolean;
    deploymentName: string;
    serviceName: string;
    servicePort: number;
    targetPort: number;
    storage?: StorageExpectation;
    ingress?: IngressExpectation;
    url?: string;
  };
  nodeExporter: { enabled: boolean; daemonSetName: string; serviceName: string; port: number };
  kubeStateMetrics: { enabled: boolean; deploymentName: string; serviceName: string; port: number };
  operator: { enabled: boolean; deploymentName: string; serviceName: string };
  alertmanager: { enabled: boolean; crName: string; statefulSetName: string };
  /** `defaultRules.create`: the chart's rules (Watchdog among them) are installed. */
  defaultRules: boolean;
  crds: string[];
  /** ServiceMonitor names expected in the namespace. */
  serviceMonitors: string[];
  /** The shared ALB, derived from the ingresses' annotations (and `--cert-arn`). */
  alb: {
    groupName?: string;
    loadBalancerName?: string;
    /** Certificate the HTTPS listener should use. */
    certificateArn?: string;
    httpsPort: number;
    /** Port of the HTTP listener that should redirect, when ssl-redirect is set. */
    httpRedirectFromPort?: number;
  };
  /** The certificate to check in ACM (`--cert-arn` or the ingress annotation). */
  certificateArn?: string;
  /** Hosts the certificate must cover (every ingress host). */
  hosts: string[];
  heartbeat: { maxAgeSeconds: number };
  /** Limits the checks judge by (defaults below; the config file's `overrides.thresholds`). */
  thresholds: CheckThresholds;
  /** The release's recorded values differ from the values files (filled in when both are known). */
  notes: string[];
}
