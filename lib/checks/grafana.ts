/** Grafana as users reach it: healthy database, and (with a token) a working Prometheus datasource. */
import type { Check, CheckContext } from './types';
import { judge, skip } from './util';

const NOT_PROBED = 'Grafana was not probed (live runs only; give --grafana-url or --domain)';

const ref = (ctx: CheckContext) => `Deployment/${ctx.expected.namespace}/${ctx.expected.grafana.deploymentName}`;

export const grafanaChecks: Check[] = [
  {
    code: 'GRF001',
    family: 'grafana',
    title: 'Grafana is healthy',
    severity: 'critical',
    description:
      'GET /api/health through the URL users use (https://grafana.<domain> by default) answers 200 with `database: ok`.',
    remediation:
      'curl <grafana-url>/api/health; check the Grafana pod (WRK004), its PVC (STO001) and the ALB target health (ALB008).',
    requires: ['runtime.grafana'],
    whenNotCollected: NOT_PROBED,
    resource: ref,
    run(ctx) {
      const p = ctx.snapshot.runtime.grafana?.probes.health;
      if (!ctx.expected.grafana.enabled) return [skip(ref(ctx), 'grafana.enabled is false in the values')];
      if (!p) return [skip(ref(ctx), NOT_PROBED)];
      if (p.error)
        return [{ status: 'error', resource: ref(ctx), message: `${p.url}: ${p.error}`, query: 'GET /api/health' }];
      const body = p.body as { database?: string; version?: string } | undefined;
      return [
        judge(
          p.status === 200 && body?.database === 'ok',
          ref(ctx),
          `Grafana ${body?.version ?? ''} healthy`,
          `${p.url} answered HTTP ${p.status}, database ${body?.database ?? 'unknown'}`,
          {
            expected: { status: 200, database: 'ok' },
            actual: { status: p.status ?? null, database: body?.database ?? null },
            query: 'GET /api/health',
          },
        ),
      ];
    },
  },
  {
    code: 'GRF002',
    family: 'grafana',
    title: 'Grafana queries Prometheus',
    severity: 'warning',
    description:
      'With an API token (GRAFANA_TOKEN), the Prometheus datasource health check (/api/datasources/uid/<uid>/health) answers OK.',
    remediation:
      'Grafana → Connections → Data sources → Prometheus → Save & test; check the datasource URL (http://<prometheus-service>.<namespace>:<prometheus-port>/).',
    requires: ['runtime.grafana'],
    whenNotCollected: NOT_PROBED,
    resource: ref,
    run(ctx) {
      const probes = ctx.snapshot.runtime.grafana?.probes;
      if (!probes) return [skip(ref(ctx), 'Grafana was not probed')];
      if (!probes.datasources)
        return [skip(ref(ctx), 'no Grafana API token was given (set GRAFANA_TOKEN to a viewer service-account token)')];
      const h = probes.prometheusDatasource;
      if (!h)
        return [
          judge(false, ref(ctx), '', 'Grafana has no Prometheus datasource', {
            expected: 'a prometheus datasource',
            actual: null,
          }),
        ];
      if (h.error) return [{ status: 'error', resource: ref(ctx), message: `${h.url}: ${h.error}` }];
      const body = h.body as { status?: string; message?: string } | undefined;
      return [
        judge(
          h.status === 200 && body?.status === 'OK',
          ref(ctx),
          `Prometheus datasource: ${body?.message ?? 'OK'}`,
          `Prometheus datasource check failed: ${body?.message ?? `HTTP ${h.status}`}`,
          { expected: 'OK', actual: body?.status ?? h.status ?? null, query: 'GET /api/datasources/uid/<uid>/health' },
        ),
      ];
    },
  },
];
