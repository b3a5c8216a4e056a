/**
 * The Ingresses the prometheus and grafana (sub)charts render, and the hosts they serve: what the
 * ALB must route and the certificate must cover.
 */
import type { IngressExpectation } from '../types';
import { albSettings } from './alb';
import type { Chart } from './chart';

export type IngressComponent = 'prometheus' | 'grafana';

export interface IngressValues {
  enabled: boolean;
  /** `<component>.ingress.hosts`, or `<component>.<--domain>` when the ingress is enabled and --domain given. */
  hosts: string[];
  annotations: Record<string, string>;
}

export function readIngressValues(c: Chart, component: IngressComponent): IngressValues {
  const enabled = c.v.bool(`${component}.ingress.enabled`, false);
  const hosts = c.v.strList(`${component}.ingress.hosts`, []);
  return {
    enabled,
    hosts: c.inputs.domain && enabled ? [`${component}.${c.inputs.domain}`] : hosts,
    annotations: c.v.map(`${component}.ingress.annotations`),
  };
}

/** How a chart renders its Ingress where the two charts differ. */
export interface IngressRendering {
  /** Ingress and backend Service name. */
  name: string;
  paths: string[];
  defaultPathType: string;
  servicePort: number;
}

export function ingressExpectation(
  c: Chart,
  component: IngressComponent,
  values: IngressValues,
  r: IngressRendering,
): IngressExpectation {
  return {
    name: r.name,
    className: c.v.str(`${component}.ingress.ingressClassName`),
    hosts: values.hosts,
    paths: r.paths,
    pathType: c.v.str(`${component}.ingress.pathType`, r.defaultPathType),
    serviceName: r.name,
    servicePort: r.servicePort,
    annotations: values.annotations,
    alb: albSettings(values.annotations, `${component}.ingress.annotations`),
  };
}

/** Every host of the rendered Ingresses, in order. */
export function servedHosts(ingresses: ReadonlyArray<IngressExpectation | undefined>): string[] {
  return ingresses.flatMap((i) => i?.hosts ?? []);
}

/** The domain the hosts are built on: --domain, else what follows the first host's first label. */
export function stackDomain(c: Chart, hosts: readonly string[]): string | undefined {
  if (c.inputs.domain !== undefined) return c.inputs.domain;
  const host = hosts[0];
  if (!host) return undefined;
  const i = host.indexOf('.');
  return i > 0 && i < host.length - 1 ? host.slice(i + 1) : undefined;
}

/** Notes hosts an unset variable left incomplete (`prometheus.` from `prometheus.$MyDomain`). */
export function noteIncompleteHosts(c: Chart, hosts: readonly string[]): void {
  for (const h of hosts) {
    if (h.startsWith('.') || h.endsWith('.') || h.includes('..')) {
      c.notes.push(`ingress host "${h}" looks incomplete: was a variable such as $MyDomain unset?`);
    }
  }
}
