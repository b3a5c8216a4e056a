/** Ingresses of Prometheus and Grafana: hosts, backend, ALB annotations, provisioned load balancer. */
import type { K8sObject } from '../snapshot/types';
import type { IngressExpectation } from '../expected/types';
import type { Check, CheckContext, Finding } from './types';
import { fail, find, judge, pass, ref, skip } from './util';

function expectedIngresses(ctx: CheckContext): Array<{ what: string; ing: IngressExpectation }> {
  const out: Array<{ what: string; ing: IngressExpectation }> = [];
  if (ctx.expected.prometheus.enabled && ctx.expected.prometheus.ingress)
    out.push({ what: 'Prometheus', ing: ctx.expected.prometheus.ingress });
  if (ctx.expected.grafana.enabled && ctx.expected.grafana.ingress)
    out.push({ what: 'Grafana', ing: ctx.expected.grafana.ingress });
  return out;
}

const ingRef = (ctx: CheckContext, name: string) => ref('Ingress', ctx.expected.namespace, name);
const firstRef = (ctx: CheckContext) =>
  ingRef(ctx, expectedIngresses(ctx)[0]?.ing.name ?? `${ctx.expected.release}-prometheus`);

function none(ctx: CheckContext): Finding[] {
  return [skip(firstRef(ctx), 'no ingress is enabled in the values')];
}

interface Observed {
  className: string | null;
  hosts: string[];
  paths: string[];
  backends: string[];
}

function observe(o: K8sObject): Observed {
  const rules: Array<{
    host?: string;
    http?: {
      paths?: Array<{
        path?: string;
        backend?: { service?: { name?: string; port?: { number?: number; name?: string } } };
      }>;
    };
  }> = o.spec?.rules ?? [];
  return {
    className: o.spec?.ingressClassName ?? o.metadata.annotations?.['kubernetes.io/ingress.class'] ?? null,
    hosts: rules.map((r) => r.host ?? '').filter(Boolean),
    paths: [...new Set(rules.flatMap((r) => (r.http?.paths ?? []).map((p) => p.path ?? '')))],
    backends: [
      ...new Set(
        rules.flatMap((r) =>
          (r.http?.paths ?? []).map(
            (p) => `${p.backend?.service?.name}:${p.backend?.service?.port?.number ?? p.backend?.service?.port?.name}`,
          ),
        ),
      ),
    ],
  };
}

const ANNOTATIONS = [
  'group.name',
  'certificate-arn',
  'ssl-redirect',
  'scheme',
  'target-type',
  'listen-ports',
  'load-balancer-name',
] as const;

function normalise(key: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (key === 'listen-ports') {
    try {
      return JSON.stringify(JSON.parse(v));
    } catch {
      return v;
    }
  }
  if (key === 'certificate-arn')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort()
      .join(',');
  return v.trim();
}

export const ingressChecks: Check[] = [
  {
    code: 'ING001',
    family: 'ingress',
    title: 'Ingress routes the expected host to the service',
    severity: 'critical',
    description:
      'The Prometheus and Grafana Ingresses exist with the expected ingress class, hosts, paths and backend service/port.',
    remediation:
      'Fix prometheus.ingress / grafana.ingress in the values file (hosts, paths, ingressClassName) and helm upgrade.',
    requires: ['k8s.ingresses'],
    resource: firstRef,
    run(ctx) {
      const list = expectedIngresses(ctx);
      if (list.length === 0) return none(ctx);
      return list.map(({ what, ing }) => {
        const r = ingRef(ctx, ing.name);
        const o = find(ctx.snapshot.kubernetes.ingresses, ing.name, ctx.expected.namespace);
        if (!o) return fail(r, `the ${what} Ingress does not exist`, { expected: { hosts: ing.hosts }, actual: null });
        const seen = observe(o);
        const expected = {
          className: ing.className ?? null,
          hosts: ing.hosts,
          paths: ing.paths,
          backends: [`${ing.serviceName}:${ing.servicePort}`],
        };
        const problems: string[] = [];
        if (ing.className && seen.className !== ing.className)
          problems.push(`class ${seen.className}, expected ${ing.className}`);
        const missingHosts = ing.hosts.filter((h) => !seen.hosts.some((s) => s.toLowerCase() === h.toLowerCase()));
        if (missingHosts.length)
          problems.push(`host ${missingHosts.join(', ')} missing (has ${seen.hosts.join(', ') || 'none'})`);
        const missingPaths = ing.paths.filter((p) => !seen.paths.includes(p));
        if (missingPaths.length)
          problems.push(`path ${missingPaths.join(', ')} missing (has ${seen.paths.join(', ') || 'none'})`);
        if (!seen.backends.includes(`${ing.serviceName}:${ing.servicePort}`))
          problems.push(`backend ${seen.backends.join(', ')}, expected ${ing.serviceName}:${ing.servicePort}`);
        return judge(
          problems.length === 0,
          r,
          `${seen.hosts.join(', ')} → ${seen.backends.join(', ')}`,
          problems.join('; '),
          { expected, actual: seen },
        );
      });
    },
  },
  {
    code: 'ING002',
    family: 'ingress',
    title: 'Ingress carries the expected ALB settings',
    severity: 'critical',
    description:
      'The `alb.ingress.kubernetes.io/*` annotations that shape the shared ALB (group.name, certificate-arn, ssl-redirect, scheme, target-type, listen-ports, load-balancer-name) are as expected on both Ingresses.',
    remediation:
      'Fix the annotations under prometheus.ingress.annotations / grafana.ingress.annotations (and the CERT_ARN you substitute) and helm upgrade.',
    requires: ['k8s.ingresses'],
    resource: firstRef,
    run(ctx) {
      const list = expectedIngresses(ctx);
      if (list.length === 0) return none(ctx);
      return list.flatMap(({ ing }): Finding[] => {
        const r = ingRef(ctx, ing.name);
        const o = find(ctx.snapshot.kubernetes.ingresses, ing.name, ctx.expected.namespace);
        if (!o) return [skip(r, 'the Ingress does not exist (see ING001)')];
        const have = o.metadata.annotations ?? {};
        const diffs: Record<string, { expected: string | null; actual: string | null }> = {};
        for (const key of ANNOTATIONS) {
          const full = `alb.ingress.kubernetes.io/${key}`;
          const want = normalise(key, ing.annotations[full]);
          if (want === undefined) continue;
          const got = normalise(key, have[full]);
          if (got !== want) diffs[full] = { expected: ing.annotations[full] ?? null, actual: have[full] ?? null };
        }
        const keys = Object.keys(diffs);
        return [
          keys.length === 0
            ? pass(r, `group ${ing.alb.groupName ?? '-'}, certificate and redirect as expected`)
            : fail(
                r,
                `annotations differ: ${keys.map((k) => `${k.replace('alb.ingress.kubernetes.io/', '')} is ${JSON.stringify(diffs[k].actual)}`).join('; ')}`,
                {
                  expected: Object.fromEntries(keys.map((k) => [k, diffs[k].expected])),
                  actual: Object.fromEntries(keys.map((k) => [k, diffs[k].actual])),
                },
              ),
        ];
      });
    },
  },
  {
    code: 'ING003',
    family: 'ingress',
    title: 'Ingress has a provisioned load balancer',
    severity: 'critical',
    description: 'The AWS Load Balancer Controller reconciled the Ingress: its status has the load balancer hostname.',
    remediation:
      'kubectl -n <namespace> describe ingress <name> and kubectl -n kube-system logs deploy/aws-load-balancer-controller: look for reconcile errors (certificate, subnets, IAM).',
    requires: ['k8s.ingresses'],
    resource: firstRef,
    run(ctx) {
      const list = expectedIngresses(ctx);
      if (list.length === 0) return none(ctx);
      return list.map(({ ing }) => {
        const r = ingRef(ctx, ing.name);
        const o = find(ctx.snapshot.kubernetes.ingresses, ing.name, ctx.expected.namespace);
        if (!o) return skip(r, 'the Ingress does not exist (see ING001)');
        const host: string | undefined = o.status?.loadBalancer?.ingress?.[0]?.hostname;
        return judge(
          !!host,
          r,
          `load balancer ${host}`,
          'the Ingress has no load balancer address: the controller has not reconciled it',
          {
            expected: 'a load balancer hostname',
            actual: host ?? null,
          },
        );
      });
    },
  },
];
