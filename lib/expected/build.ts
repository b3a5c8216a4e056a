/**
 * Expected state from user values, as chart kube-prometheus-stack 45.27.2 renders them.
 * Defaults are those of the chart's values.yaml and its subcharts (grafana 6.56, kube-state-metrics
 * 5.5, prometheus-node-exporter 4.16). Keys not read here are ignored, as Helm ignores unknown
 * keys; a key that is read but has the wrong type is a ConfigError naming the source and path.
 */
import { ConfigError } from '../errors';
import {
  CHART_NAME,
  CHART_VERSION,
  DEFAULT_NAMESPACE,
  DEFAULT_RELEASE,
  STACK_CRDS,
  type AlbIngressSettings,
  type ExpectedState,
  type IngressExpectation,
  type StorageExpectation,
} from './types';
import { describeType, isPlainObject, type Values } from './values';

export interface ExpectedInputs {
  release?: string;
  namespace?: string;
  domain?: string;
  certArn?: string;
  prometheusUrl?: string;
  grafanaUrl?: string;
  heartbeatMaxAgeSeconds?: number;
}

export interface ValuesWithOrigins {
  values: Values;
  origins?: Record<string, string>;
}

/** Typed reads of user values that name the path (and the file) on a type error. */
class Reader {
  constructor(
    private readonly values: Values,
    private readonly origins: Record<string, string>,
  ) {}

  raw(path: string): unknown {
    let node: unknown = this.values;
    for (const part of path.split('.')) {
      if (!isPlainObject(node)) return undefined;
      node = node[part];
    }
    return node === null ? undefined : node;
  }

  private wrong(path: string, want: string, got: unknown): never {
    const source = this.origins[path] ?? Object.entries(this.origins).find(([p]) => p.startsWith(`${path}.`))?.[1];
    const where = source ? `${source}: ` : '';
    throw new ConfigError(`${where}${path}: expected ${want}, got ${describeType(got)}`, source);
  }

  str(path: string, def?: string): string | undefined {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.wrong(path, 'a string', v);
  }

  bool(path: string, def: boolean): boolean {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.wrong(path, 'true or false', v);
  }

  int(path: string, def: number): number {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
    return this.wrong(path, 'a whole number', v);
  }

  strList(path: string, def: string[]): string[] {
    const v = this.raw(path);
    if (v === undefined) return def;
    if (!Array.isArray(v)) return this.wrong(path, 'a list of strings', v);
    return v.map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number') return String(item);
      return this.wrong(`${path}[${i}]`, 'a string', item);
    });
  }

  map(path: string): Record<string, string> {
    const v = this.raw(path);
    if (v === undefined) return {};
    if (!isPlainObject(v)) return this.wrong(path, 'a map', v);
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      if (item === null || item === undefined) continue;
      if (typeof item === 'object') this.wrong(`${path}.${k}`, 'a string', item);
      out[k] = String(item);
    }
    return out;
  }
}

function trunc(s: string, n: number): string {
  return s.slice(0, n).replace(/-+$/, '');
}

/** Helm's usual `<chart>.fullname` helper with the given truncation. */
function fullname(
  release: string,
  chartName: string,
  nameOverride?: string,
  fullnameOverride?: string,
  max = 63,
): string {
  if (fullnameOverride) return trunc(fullnameOverride, max);
  const name = nameOverride || chartName;
  return release.includes(name) ? trunc(release, max) : trunc(`${release}-${name}`, max);
}

export function parseListenPorts(raw: string | undefined, source: string): AlbIngressSettings['listenPorts'] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${source}: alb.ingress.kubernetes.io/listen-ports is not valid JSON: ${raw}`);
  }
  if (!Array.isArray(parsed))
    throw new ConfigError(`${source}: alb.ingress.kubernetes.io/listen-ports must be a JSON list`);
  const out: AlbIngressSettings['listenPorts'] = [];
  for (const entry of parsed) {
    if (!isPlainObject(entry)) continue;
    for (const [proto, port] of Object.entries(entry)) {
      const p = proto.toUpperCase();
      if ((p === 'HTTP' || p === 'HTTPS') && Number.isInteger(Number(port)))
        out.push({ protocol: p, port: Number(port) });
    }
  }
  return out;
}

export function albSettings(annotations: Record<string, string>, source: string): AlbIngressSettings {
  const a = (k: string) => annotations[`alb.ingress.kubernetes.io/${k}`];
  const redirect = a('ssl-redirect');
  return {
    ...(a('group.name') ? { groupName: a('group.name') } : {}),
    ...(a('load-balancer-name') ? { loadBalancerName: a('load-balancer-name') } : {}),
    certificateArns: (a('certificate-arn') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...(a('scheme') ? { scheme: a('scheme') } : {}),
    ...(a('target-type') ? { targetType: a('target-type') } : {}),
    listenPorts: parseListenPorts(a('listen-ports'), source),
    ...(redirect && /^[0-9]+$/.test(redirect) ? { sslRedirectPort: Number(redirect) } : {}),
    ...(a('success-codes') ? { successCodes: a('success-codes') } : {}),
  };
}

function domainOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const i = host.indexOf('.');
  return i > 0 && i < host.length - 1 ? host.slice(i + 1) : undefined;
}

export function buildExpected(
  user: ValuesWithOrigins,
  inputs: ExpectedInputs = {},
  valuesSource: ExpectedState['valuesSource'] = 'files',
): ExpectedState {
  const v = new Reader(user.values, user.origins ?? {});
  const release = inputs.release ?? DEFAULT_RELEASE;
  const namespace = inputs.namespace ?? v.str('namespaceOverride') ?? DEFAULT_NAMESPACE;
  const full = fullname(release, CHART_NAME, v.str('nameOverride'), v.str('fullnameOverride'), 26);
  const clean = v.bool('cleanPrometheusOperatorObjectNames', false);
  const notes: string[] = [];

  // Prometheus
  const promEnabled = v.bool('prometheus.enabled', true);
  const crName = clean ? full : `${full}-prometheus`;
  const promServiceName = `${full}-prometheus`;
  const promPort = v.int('prometheus.service.port', 9090);
  const routePrefix = v.str('prometheus.prometheusSpec.routePrefix', '/') as string;
  const promIngressEnabled = v.bool('prometheus.ingress.enabled', false);
  let promHosts = v.strList('prometheus.ingress.hosts', []);
  if (inputs.domain && promIngressEnabled) promHosts = [`prometheus.${inputs.domain}`];
  const promAnnotations = v.map('prometheus.ingress.annotations');
  const promPaths = v.strList('prometheus.ingress.paths', []);
  const explicitExternal = v.str('prometheus.prometheusSpec.externalUrl');
  const externalUrl = explicitExternal
    ? explicitExternal
    : promIngressEnabled && promHosts.length > 0
      ? `http://${promHosts[0]}${routePrefix}`
      : `http://${full}-prometheus.${namespace}:${promPort}`;
  const vct = 'prometheus.prometheusSpec.storageSpec.volumeClaimTemplate';
  const hasStorage = v.raw(vct) !== undefined;
  const promStorage: StorageExpectation | undefined = hasStorage
    ? {
        storageClassName: v.str(`${vct}.spec.storageClassName`),
        size: v.str(`${vct}.spec.resources.requests.storage`),
        accessModes: v.strList(`${vct}.spec.accessModes`, ['ReadWriteOnce']),
        pvcName: `${v.str(`${vct}.metadata.name`) ?? `prometheus-${crName}-db`}-prometheus-${crName}-0`,
      }
    : undefined;
  const promIngress: IngressExpectation | undefined =
    promEnabled && promIngressEnabled
      ? {
          name: promServiceName,
          className: v.str('prometheus.ingress.ingressClassName'),
          hosts: promHosts,
          paths: promPaths.length > 0 ? promPaths : [routePrefix],
          pathType: v.str('prometheus.ingress.pathType', 'ImplementationSpecific'),
          serviceName: promServiceName,
          servicePort: v.int('prometheus.ingress.servicePort', promPort),
          annotations: promAnnotations,
          alb: albSettings(promAnnotations, 'prometheus.ingress.annotations'),
        }
      : undefined;

  // Grafana (subchart 6.56: its ingress reads `path`, not `paths`)
  const grafanaEnabled = v.bool('grafana.enabled', true);
  const grafanaName = fullname(release, 'grafana', v.str('grafana.nameOverride'), v.str('grafana.fullnameOverride'));
  const grafanaIngressEnabled = v.bool('grafana.ingress.enabled', false);
  let grafanaHosts = v.strList('grafana.ingress.hosts', []);
  if (inputs.domain && grafanaIngressEnabled) grafanaHosts = [`grafana.${inputs.domain}`];
  const grafanaAnnotations = v.map('grafana.ingress.annotations');
  const grafanaServicePort = v.int('grafana.service.port', 80);
  const grafanaPersist = v.bool('grafana.persistence.enabled', false);
  const grafanaPersistType = v.str('grafana.persistence.type', 'pvc');
  const grafanaStorage: StorageExpectation | undefined =
    grafanaEnabled && grafanaPersist && grafanaPersistType === 'pvc'
      ? {
          storageClassName: v.str('grafana.persistence.storageClassName'),
          size: v.str('grafana.persistence.size', '10Gi'),
          accessModes: v.strList('grafana.persistence.accessModes', ['ReadWriteOnce']),
          pvcName: v.str('grafana.persistence.existingClaim') ?? grafanaName,
        }
      : undefined;
  if (v.raw('grafana.ingress.paths') !== undefined) {
    notes.push('grafana.ingress.paths is not read by the grafana subchart (it uses grafana.ingress.path); ignored');
  }
  const grafanaIngress: IngressExpectation | undefined =
    grafanaEnabled && grafanaIngressEnabled
      ? {
          name: grafanaName,
          className: v.str('grafana.ingress.ingressClassName'),
          hosts: grafanaHosts,
          paths: [v.str('grafana.ingress.path', '/') as string],
          pathType: v.str('grafana.ingress.pathType', 'Prefix'),
          serviceName: grafanaName,
          servicePort: grafanaServicePort,
          annotations: grafanaAnnotations,
          alb: albSettings(grafanaAnnotations, 'grafana.ingress.annotations'),
        }
      : undefined;

  // Other components
  const nodeExporterEnabled = v.bool('nodeExporter.enabled', true);
  const nodeExporterName = fullname(
    release,
    'prometheus-node-exporter',
    v.str('prometheus-node-exporter.nameOverride'),
    v.str('prometheus-node-exporter.fullnameOverride'),
  );
  const ksmEnabled = v.bool('kubeStateMetrics.enabled', true);
  const ksmName = fullname(
    release,
    'kube-state-metrics',
    v.str('kube-state-metrics.nameOverride'),
    v.str('kube-state-metrics.fullnameOverride'),
  );
  const operatorEnabled = v.bool('prometheusOperator.enabled', true);
  const amEnabled = v.bool('alertmanager.enabled', true);
  const amCr = clean ? full : `${full}-alertmanager`;

  // ServiceMonitors the chart creates for what is enabled.
  const sm: string[] = [];
  const on = (path: string, def = true) => v.bool(path, def);
  if (on('kubeApiServer.enabled')) sm.push(`${full}-apiserver`);
  if (on('coreDns.enabled')) sm.push(`${full}-coredns`);
  if (on('kubeDns.enabled', false)) sm.push(`${full}-kube-dns`);
  if (on('kubeControllerManager.enabled')) sm.push(`${full}-kube-controller-manager`);
  if (on('kubeEtcd.enabled')) sm.push(`${full}-kube-etcd`);
  if (on('kubeScheduler.enabled')) sm.push(`${full}-kube-scheduler`);
  if (on('kubeProxy.enabled')) sm.push(`${full}-kube-proxy`);
  if (on('kubelet.enabled')) sm.push(`${full}-kubelet`);
  if (operatorEnabled && on('prometheusOperator.serviceMonitor.selfMonitor')) sm.push(`${full}-operator`);
  if (promEnabled && on('prometheus.serviceMonitor.selfMonitor')) sm.push(`${full}-prometheus`);
  if (amEnabled && on('alertmanager.serviceMonitor.selfMonitor')) sm.push(`${full}-alertmanager`);
  if (grafanaEnabled && on('grafana.serviceMonitor.enabled')) sm.push(grafanaName);
  if (ksmEnabled) sm.push(ksmName);
  if (nodeExporterEnabled) sm.push(nodeExporterName);

  // The shared ALB, from the ingresses' annotations; --cert-arn decides the certificate checked.
  const ingresses = [promIngress, grafanaIngress].filter((i): i is IngressExpectation => i !== undefined);
  const firstAlb = ingresses.map((i) => i.alb);
  const pick = <K extends keyof AlbIngressSettings>(k: K) => firstAlb.map((a) => a[k]).find((x) => x !== undefined);
  const certificateArn = inputs.certArn ?? firstAlb.flatMap((a) => a.certificateArns)[0];
  if (inputs.certArn) {
    for (const ing of ingresses) {
      if (ing.alb.certificateArns.length === 0 || ing.alb.certificateArns.includes('')) continue;
      ing.alb.certificateArns = ing.alb.certificateArns.map((arn, i) => (i === 0 ? inputs.certArn! : arn));
      ing.annotations['alb.ingress.kubernetes.io/certificate-arn'] = ing.alb.certificateArns.join(',');
    }
  }
  const sslRedirect = pick('sslRedirectPort');
  const httpPort = firstAlb.flatMap((a) => a.listenPorts).find((p) => p.protocol === 'HTTP')?.port;
  const httpsPort =
    firstAlb.flatMap((a) => a.listenPorts).find((p) => p.protocol === 'HTTPS')?.port ?? sslRedirect ?? 443;
  const hosts = [
    ...promHosts.slice(0, promIngress ? undefined : 0),
    ...grafanaHosts.slice(0, grafanaIngress ? undefined : 0),
  ];
  const domain = inputs.domain ?? domainOf(hosts[0]);

  for (const h of hosts) {
    if (h.startsWith('.') || h.endsWith('.') || h.includes('..')) {
      notes.push(`ingress host "${h}" looks incomplete: was a variable such as $MyDomain unset?`);
    }
  }

  return {
    chart: { name: CHART_NAME, version: CHART_VERSION },
    release,
    namespace,
    ...(domain ? { domain } : {}),
    valuesSource,
    values: user.values,
    prometheus: {
      enabled: promEnabled,
      crName,
      statefulSetName: `prometheus-${crName}`,
      serviceName: promServiceName,
      port: promPort,
      replicas: v.int('prometheus.prometheusSpec.replicas', 1),
      retention: v.str('prometheus.prometheusSpec.retention', '10d') as string,
      ...(v.str('prometheus.prometheusSpec.retentionSize')
        ? { retentionSize: v.str('prometheus.prometheusSpec.retentionSize') }
        : {}),
      ...(v.str('prometheus.prometheusSpec.scrapeInterval')
        ? { scrapeInterval: v.str('prometheus.prometheusSpec.scrapeInterval') }
        : {}),
      ...(v.str('prometheus.prometheusSpec.evaluationInterval')
        ? { evaluationInterval: v.str('prometheus.prometheusSpec.evaluationInterval') }
        : {}),
      externalUrl,
      ...(promStorage ? { storage: promStorage } : {}),
      ...(promIngress ? { ingress: promIngress } : {}),
      ...(inputs.prometheusUrl || promHosts[0] ? { url: inputs.prometheusUrl ?? `https://${promHosts[0]}` } : {}),
    },
    grafana: {
      enabled: grafanaEnabled,
      deploymentName: grafanaName,
      serviceName: grafanaName,
      servicePort: grafanaServicePort,
      targetPort: v.int('grafana.service.targetPort', 3000),
      ...(grafanaStorage ? { storage: grafanaStorage } : {}),
      ...(grafanaIngress ? { ingress: grafanaIngress } : {}),
      ...(inputs.grafanaUrl || grafanaHosts[0] ? { url: inputs.grafanaUrl ?? `https://${grafanaHosts[0]}` } : {}),
    },
    nodeExporter: {
      enabled: nodeExporterEnabled,
      daemonSetName: nodeExporterName,
      serviceName: nodeExporterName,
      port: v.int('prometheus-node-exporter.service.port', 9100),
    },
    kubeStateMetrics: { enabled: ksmEnabled, deploymentName: ksmName, serviceName: ksmName, port: 8080 },
    operator: { enabled: operatorEnabled, deploymentName: `${full}-operator`, serviceName: `${full}-operator` },
    alertmanager: { enabled: amEnabled, crName: amCr, statefulSetName: `alertmanager-${amCr}` },
    defaultRules: v.bool('defaultRules.create', true),
    crds: [...STACK_CRDS],
    serviceMonitors: sm,
    alb: {
      ...(pick('groupName') ? { groupName: pick('groupName') } : {}),
      ...(pick('loadBalancerName') ? { loadBalancerName: pick('loadBalancerName') } : {}),
      ...(certificateArn ? { certificateArn } : {}),
      httpsPort,
      ...(sslRedirect !== undefined && httpPort !== undefined ? { httpRedirectFromPort: httpPort } : {}),
    },
    ...(certificateArn ? { certificateArn } : {}),
    hosts,
    heartbeat: { maxAgeSeconds: inputs.heartbeatMaxAgeSeconds ?? 600 },
    notes,
  };
}
