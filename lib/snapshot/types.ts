/**
 * The snapshot: one plain, versioned, JSON-serialisable document of everything observed.
 * Checks read only this. Kubernetes objects are kept in their wire shape (`kubectl get -o json`);
 * AWS objects in the SDK v3 output shape with dates as ISO-8601 strings.
 */

export const SNAPSHOT_KIND = 'StackcheckSnapshot';
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** Minimal wire shape of a Kubernetes object; `spec`/`status` are read defensively by checks. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ apiVersion?: string; kind: string; name: string; uid?: string }>;
    [key: string]: unknown;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  [key: string]: unknown;
}

/** A Helm v3 release as decoded from its `sh.helm.release.v1.<name>.v<N>` Secret (see lib/helm). */
export interface HelmRelease {
  /** Name of the Secret it was decoded from. */
  secretName: string;
  name: string;
  namespace: string;
  /** Release revision (`version` in Helm's JSON). */
  revision: number;
  /** `info.status`: deployed, superseded, failed, pending-upgrade, … */
  status: string;
  chart: { name: string; version: string; appVersion?: string };
  /** User-supplied values (`config`), with secret-looking values redacted. */
  config: Record<string, unknown>;
  /** The rendered manifest, when kept. */
  manifest?: string;
  firstDeployed?: string;
  lastDeployed?: string;
  description?: string;
}

export interface KubernetesState {
  /** The target namespace, if it exists (a list of zero or one). */
  namespaces: K8sObject[];
  nodes: K8sObject[];
  statefulSets: K8sObject[];
  daemonSets: K8sObject[];
  deployments: K8sObject[];
  pods: K8sObject[];
  services: K8sObject[];
  endpoints: K8sObject[];
  persistentVolumeClaims: K8sObject[];
  persistentVolumes: K8sObject[];
  storageClasses: K8sObject[];
  ingresses: K8sObject[];
  customResourceDefinitions: K8sObject[];
  serviceMonitors: K8sObject[];
  prometheuses: K8sObject[];
  targetGroupBindings: K8sObject[];
  /** Every revision of the release found, decoded. */
  helmReleases: HelmRelease[];
}

// AWS shapes (subset of the SDK v3 output shapes, dates as strings).
export interface AwsTag {
  Key: string;
  Value?: string;
}
export interface LoadBalancer {
  LoadBalancerArn: string;
  LoadBalancerName?: string;
  DNSName?: string;
  Scheme?: string;
  Type?: string;
  State?: { Code?: string; Reason?: string };
  VpcId?: string;
  [key: string]: unknown;
}
export interface ActionShape {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  RedirectConfig?: {
    Protocol?: string;
    Port?: string;
    Host?: string;
    Path?: string;
    Query?: string;
    StatusCode?: string;
  };
  FixedResponseConfig?: { StatusCode?: string; ContentType?: string; MessageBody?: string };
  ForwardConfig?: {
    TargetGroups?: Array<{ TargetGroupArn?: string; Weight?: number }>;
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
  [key: string]: unknown;
}
export interface Listener {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port?: number;
  Protocol?: string;
  Certificates?: Array<{ CertificateArn?: string; IsDefault?: boolean }>;
  SslPolicy?: string;
  DefaultActions?: ActionShape[];
  [key: string]: unknown;
}
export interface RuleCondition {
  Field?: string;
  Values?: string[];
  HostHeaderConfig?: { Values?: string[] };
  PathPatternConfig?: { Values?: string[] };
  HttpHeaderConfig?: { HttpHeaderName?: string; Values?: string[] };
  [key: string]: unknown;
}
export interface Rule {
  RuleArn: string;
  Priority: string;
  Conditions?: RuleCondition[];
  Actions?: ActionShape[];
  IsDefault?: boolean;
  [key: string]: unknown;
}
export interface TargetGroup {
  TargetGroupArn: string;
  TargetGroupName?: string;
  Protocol?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  HealthCheckPath?: string;
  Matcher?: { HttpCode?: string };
  LoadBalancerArns?: string[];
  [key: string]: unknown;
}
export interface TargetHealthDescription {
  Target?: { Id?: string; Port?: number; AvailabilityZone?: string };
  HealthCheckPort?: string;
  TargetHealth?: { State?: string; Reason?: string; Description?: string };
  [key: string]: unknown;
}
/** ACM `DescribeCertificate` → `Certificate`, dates as ISO strings. */
export interface CertificateDetail {
  CertificateArn: string;
  DomainName?: string;
  SubjectAlternativeNames?: string[];
  Status?: string;
  Type?: string;
  NotBefore?: string;
  NotAfter?: string;
  InUseBy?: string[];
  RenewalEligibility?: string;
  [key: string]: unknown;
}

export interface AwsState {
  /** The ALB(s) of the ingress group (normally exactly one). */
  loadBalancers: LoadBalancer[];
  listeners: Listener[];
  /** Rules by ListenerArn (the Rule shape does not carry its listener). */
  rules: Record<string, Rule[]>;
  targetGroups: TargetGroup[];
  /** Target health by TargetGroupArn. */
  targetHealth: Record<string, TargetHealthDescription[]>;
  /** Tags by resource ARN. */
  tags: Record<string, AwsTag[]>;
  /** Certificates by ARN (the expected one and any attached to the HTTPS listener). */
  certificates: Record<string, CertificateDetail>;
}

/** One HTTP probe's outcome (runtime checks): status and parsed JSON body or text. */
export interface HttpProbe {
  url: string;
  status?: number;
  /** Parsed JSON body (Prometheus/Grafana APIs), or undefined. */
  body?: unknown;
  /** Text body, truncated, for non-JSON answers. */
  text?: string;
  durationMs?: number;
  error?: string;
}

export interface RuntimeState {
  /** Prometheus HTTP API answers, keyed by probe name (`ready`, `targets`, `flags`, `config`, `rules`, `query:<name>`). */
  prometheus?: { baseUrl: string; probes: Record<string, HttpProbe> };
  /** Grafana HTTP API answers, keyed by probe name (`health`, `datasources`, …). */
  grafana?: { baseUrl: string; probes: Record<string, HttpProbe> };
}

/** The Watchdog heartbeat as recorded by the Alertmanager webhook. */
export interface HeartbeatState {
  /** ISO time the last Watchdog notification arrived, or null when none ever did. */
  lastSeenAt: string | null;
  source?: string;
}

/**
 * Names of the parts of the snapshot. Checks declare which they `require`; a collection error
 * records which it `affects`, so a check whose input failed to load reports `error`, not `fail`.
 */
export const DATA_KEYS = [
  'k8s.namespaces',
  'k8s.nodes',
  'k8s.statefulSets',
  'k8s.daemonSets',
  'k8s.deployments',
  'k8s.pods',
  'k8s.services',
  'k8s.endpoints',
  'k8s.persistentVolumeClaims',
  'k8s.persistentVolumes',
  'k8s.storageClasses',
  'k8s.ingresses',
  'k8s.customResourceDefinitions',
  'k8s.serviceMonitors',
  'k8s.prometheuses',
  'k8s.targetGroupBindings',
  'k8s.helmReleases',
  'aws.loadBalancers',
  'aws.listeners',
  'aws.rules',
  'aws.targetGroups',
  'aws.targetHealth',
  'aws.tags',
  'aws.certificates',
  'runtime.prometheus',
  'runtime.grafana',
  'heartbeat',
] as const;
export type DataKey = (typeof DATA_KEYS)[number];

/** A failed collection call. Becomes an `error` result of every check that requires `affects`. */
export interface CollectionError {
  /** Service: `kubernetes`, `eks`, `elbv2`, `acm`, `sts`, `prometheus`, `grafana`, `heartbeat`. */
  source: string;
  /** The API call, e.g. `DescribeRules` or `list statefulsets (monitoring)`. */
  call: string;
  /** The snapshot parts this failure leaves unknown. */
  affects: DataKey[];
  message: string;
  /** Error code (`AccessDenied`, `Throttling`, HTTP status, `ETIMEDOUT`, …). */
  code?: string;
  /** The permission that would allow the call, e.g. `elasticloadbalancing:DescribeRules`. */
  permission?: string;
  /** The resource the call was about, when there is one. */
  resource?: string;
}

export interface Snapshot {
  kind: typeof SNAPSHOT_KIND;
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  /** EKS cluster name (or kubeconfig context). */
  cluster: string;
  region?: string;
  /** When collection started (ISO-8601). Checks use it as "now" for replayable results. */
  collectedAt: string;
  /** How it was collected: `eks`, `kubeconfig`, or `fixture` for hand-made examples. */
  source: string;
  /** Namespace and release the collection targeted. */
  target: { namespace: string; release: string };
  /** Parts that were collected (absent parts were not asked for, e.g. a family was skipped). */
  collected: DataKey[];
  kubernetes: KubernetesState;
  aws: AwsState;
  runtime: RuntimeState;
  heartbeat?: HeartbeatState;
  errors: CollectionError[];
  /** Parts the plan asked for that this session could not collect, with the reason (no URL, no store). */
  unavailable?: Partial<Record<DataKey, string>>;
  /** Calls made, by service, for the record (`{ kubernetes: 17, elbv2: 6, … }`). */
  stats?: { apiCalls: Record<string, number>; durationMs: number };
}

export function emptyKubernetesState(): KubernetesState {
  return {
    namespaces: [],
    nodes: [],
    statefulSets: [],
    daemonSets: [],
    deployments: [],
    pods: [],
    services: [],
    endpoints: [],
    persistentVolumeClaims: [],
    persistentVolumes: [],
    storageClasses: [],
    ingresses: [],
    customResourceDefinitions: [],
    serviceMonitors: [],
    prometheuses: [],
    targetGroupBindings: [],
    helmReleases: [],
  };
}

export function emptyAwsState(): AwsState {
  return {
    loadBalancers: [],
    listeners: [],
    rules: {},
    targetGroups: [],
    targetHealth: {},
    tags: {},
    certificates: {},
  };
}
