/**
 * Prometheus as users reach it: ready, every target up, node-exporter on every node,
 * kube-state-metrics scraped, Watchdog firing, retention flags, intervals, rule health.
 * Target results are named `Target/<job>/<instance>`; the others the Prometheus resource.
 * An unreachable Prometheus is one `error` (PRM001) naming the URL and the cause; the rest skip.
 */
import { PROMQL } from '../snapshot/queries';
import type { HttpProbe } from '../snapshot/types';
import type { Check, CheckContext, Finding } from './types';
import { fail, judge, pass, skip } from './util';

const NOT_PROBED = 'Prometheus was not probed (live runs only; give --prometheus-url or --domain)';

const promRef = (ctx: CheckContext) => `Prometheus/${ctx.expected.namespace}/${ctx.expected.prometheus.crName}`;

function probes(ctx: CheckContext): Record<string, HttpProbe> | undefined {
  return ctx.snapshot.runtime.prometheus?.probes;
}

/** Common preconditions: collected and reachable, else a skip saying why. */
function guard(ctx: CheckContext, need: string): { probe: HttpProbe; all: Record<string, HttpProbe> } | Finding {
  const r = promRef(ctx);
  const all = probes(ctx);
  if (!all) return skip(r, NOT_PROBED);
  if (all.ready?.error || (all.ready?.status ?? 0) >= 400)
    return skip(r, 'Prometheus is not reachable or not ready (see PRM001)');
  const p = all[need];
  if (!p) return skip(r, `no answer recorded for ${need}`);
  return { probe: p, all };
}

function apiError(r: string, p: HttpProbe, query?: string): Finding | undefined {
  if (p.error) return { status: 'error', resource: r, message: `${p.url}: ${p.error}`, ...(query ? { query } : {}) };
  if ((p.status ?? 0) >= 400)
    return { status: 'error', resource: r, message: `${p.url} answered HTTP ${p.status}`, ...(query ? { query } : {}) };
  if (p.body === undefined) {
    return {
      status: 'error',
      resource: r,
      message: `${p.url} answered with a body that is not JSON: ${(p.text ?? '').slice(0, 80)}`,
      ...(query ? { query } : {}),
    };
  }
  return undefined;
}

/** A scalar from an instant-query answer (`count(...)` etc.); undefined when the result is empty. */
function scalar(p: HttpProbe): number | undefined {
  const result =
    (p.body as { data?: { result?: Array<{ value?: [number, string] }> } } | undefined)?.data?.result ?? [];
  if (result.length === 0) return undefined;
  return result.reduce((a, r) => a + Number(r.value?.[1] ?? 0), 0);
}

function series(p: HttpProbe): number {
  return ((p.body as { data?: { result?: unknown[] } } | undefined)?.data?.result ?? []).length;
}

function check(
  code: string,
  title: string,
  severity: Check['severity'],
  description: string,
  remediation: string,
  run: Check['run'],
  uses?: Check['uses'],
): Check {
  return {
    code,
    family: 'prometheus',
    title,
    severity,
    description,
    remediation,
    requires: ['runtime.prometheus'],
    whenNotCollected: NOT_PROBED,
    resource: promRef,
    run,
    ...(uses ? { uses } : {}),
  };
}

export const prometheusChecks: Check[] = [
  check(
    'PRM001',
    'Prometheus is reachable and ready',
    'critical',
    'GET /-/ready through the URL users use (https://prometheus.<domain> by default, so the ALB, certificate and host rule are exercised) answers 200.',
    'curl -v <prometheus-url>/-/ready; if the ALB answers, check the target group health (ALB008) and the pod (WRK002).',
    (ctx) => {
      const all = probes(ctx);
      const r = promRef(ctx);
      if (!all?.ready) return [skip(r, NOT_PROBED)];
      const p = all.ready;
      if (p.error) return [{ status: 'error', resource: r, message: `${p.url}: ${p.error}`, query: 'GET /-/ready' }];
      return [
        judge(p.status === 200, r, `${p.url} is ready`, `${p.url} answered HTTP ${p.status}`, {
          expected: 200,
          actual: p.status ?? null,
          query: 'GET /-/ready',
        }),
      ];
    },
  ),
  check(
    'PRM002',
    'Every scrape target is up',
    'critical',
    'Every active target (/api/v1/targets) has health `up`; a failing one is named by job and instance with its last scrape error.',
    'Open Status → Targets in Prometheus; check the ServiceMonitor selector, the Service endpoints and network policies of the failing job.',
    (ctx) => {
      const g = guard(ctx, 'targets');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, 'GET /api/v1/targets?state=active');
      if (err) return [err];
      const targets =
        (
          g.probe.body as {
            activeTargets?: Array<{
              job?: string;
              instance?: string;
              health?: string;
              lastError?: string;
              scrapeUrl?: string;
            }>;
          }
        ).activeTargets ?? [];
      const down = targets.filter((t) => t.health !== 'up');
      if (targets.length === 0)
        return [
          fail(promRef(ctx), 'Prometheus has no active targets', {
            expected: 'targets up',
            actual: 0,
            query: 'GET /api/v1/targets?state=active',
          }),
        ];
      if (down.length === 0)
        return [pass(promRef(ctx), `${targets.length} targets up`, { query: 'GET /api/v1/targets?state=active' })];
      return down.map((t) =>
        fail(
          `Target/${t.job ?? '?'}/${t.instance ?? '?'}`,
          `${t.job}/${t.instance} is ${t.health}: ${t.lastError || 'no error reported'}`,
          {
            expected: 'up',
            actual: { health: t.health, lastError: t.lastError ?? null, scrapeUrl: t.scrapeUrl ?? null },
            query: `up{job="${t.job}",instance="${t.instance}"}`,
          },
        ),
      );
    },
  ),
  check(
    'PRM003',
    'node-exporter is scraped on every node',
    'critical',
    'The number of node-exporter targets that are up equals the number of nodes (from the cluster when it was read, else `count(kube_node_info)`).',
    'Compare with WRK003 (DaemonSet) and PRM002 (targets); check the node-exporter ServiceMonitor and port 9100 reachability (security groups for hostNetwork pods).',
    (ctx) => {
      const g = guard(ctx, 'query:nodeExporterUp');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, PROMQL.nodeExporterUp);
      if (err) return [err];
      const up = scalar(g.probe) ?? 0;
      const k8sNodes =
        ctx.snapshot.collected.includes('k8s.nodes') && ctx.snapshot.kubernetes.nodes.length > 0
          ? ctx.snapshot.kubernetes.nodes.length
          : undefined;
      const nodes = k8sNodes ?? (g.all['query:nodeCount'] ? scalar(g.all['query:nodeCount']) : undefined);
      if (nodes === undefined)
        return [skip(promRef(ctx), 'the number of nodes is unknown (no node list and no kube_node_info series)')];
      return [
        judge(
          up === nodes,
          promRef(ctx),
          `${up} of ${nodes} nodes scraped`,
          `${up} node-exporter targets up for ${nodes} nodes`,
          { expected: nodes, actual: up, query: PROMQL.nodeExporterUp },
        ),
      ];
    },
    ['k8s.nodes'],
  ),
  check(
    'PRM004',
    'kube-state-metrics is scraped',
    'critical',
    'At least one kube-state-metrics target is up, so the Kubernetes object metrics the dashboards use exist.',
    'kubectl -n <namespace> get pods -l app.kubernetes.io/name=kube-state-metrics; check its ServiceMonitor.',
    (ctx) => {
      if (!ctx.expected.kubeStateMetrics.enabled)
        return [skip(promRef(ctx), 'kubeStateMetrics.enabled is false in the values')];
      const g = guard(ctx, 'query:kubeStateMetricsUp');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, PROMQL.kubeStateMetricsUp);
      if (err) return [err];
      const up = scalar(g.probe);
      return [
        judge(
          (up ?? 0) > 0,
          promRef(ctx),
          `${up} kube-state-metrics target(s) up`,
          up === undefined ? 'no kube-state-metrics target is scraped at all' : 'kube-state-metrics targets are down',
          { expected: '>= 1', actual: up ?? 0, query: PROMQL.kubeStateMetricsUp },
        ),
      ];
    },
  ),
  check(
    'PRM005',
    'Watchdog alert is firing',
    'critical',
    'The always-firing Watchdog alert of the default rules is active, proving rule evaluation works. Skipped when the values turn the default rules off (the lab does).',
    'kubectl -n <namespace> get prometheusrules; check the ruleSelector of the Prometheus resource and /api/v1/rules for errors.',
    (ctx) => {
      if (!ctx.expected.defaultRules)
        return [skip(promRef(ctx), 'defaultRules.create is false in the values: there is no Watchdog rule to fire')];
      const g = guard(ctx, 'query:watchdog');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, PROMQL.watchdog);
      if (err) return [err];
      const n = series(g.probe);
      return [
        judge(
          n > 0,
          promRef(ctx),
          'Watchdog is firing',
          'Watchdog is not firing: rules are not evaluated or the Watchdog rule is missing',
          { expected: 'firing', actual: n > 0 ? 'firing' : 'absent', query: PROMQL.watchdog },
        ),
      ];
    },
  ),
  check(
    'PRM006',
    'Prometheus runs with the expected retention',
    'critical',
    'The running flags (/api/v1/status/flags) `storage.tsdb.retention.time` and `storage.tsdb.retention.size` are as the values say (one result per flag, naming it).',
    'Set prometheus.prometheusSpec.retention / retentionSize and helm upgrade.',
    (ctx) => {
      const g = guard(ctx, 'flags');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, 'GET /api/v1/status/flags');
      if (err) return [err];
      const flags = (g.probe.body as { data?: Record<string, string | undefined> }).data ?? {};
      const want: Array<[string, string | undefined]> = [
        ['storage.tsdb.retention.time', ctx.expected.prometheus.retention],
        ['storage.tsdb.retention.size', ctx.expected.prometheus.retentionSize],
      ];
      return want.map(([flag, w]) => {
        const got = flags[flag];
        const norm = (v: string | undefined) =>
          v === undefined || v === '' || v === '0B' || v === '0' ? undefined : v.replace(/B$/, '');
        const ok = w === undefined ? norm(got) === undefined : norm(got) === norm(w) || got === w;
        return judge(
          ok,
          promRef(ctx),
          `--${flag}=${got}`,
          `--${flag} is ${got ?? '(unset)'}, expected ${w ?? '(unset)'}`,
          {
            expected: w ?? null,
            actual: got ?? null,
            query: 'GET /api/v1/status/flags',
            title: `Prometheus --${flag} as expected`,
          },
        );
      });
    },
  ),
  check(
    'PRM007',
    'Prometheus scrapes and evaluates at the expected interval',
    'warning',
    'The loaded configuration (/api/v1/status/config) has `global.scrape_interval` and `global.evaluation_interval` as the values and --set flags say (15s in the lab).',
    'Set prometheus.prometheusSpec.scrapeInterval / evaluationInterval and helm upgrade; the operator reloads the configuration.',
    (ctx) => {
      const g = guard(ctx, 'config');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, 'GET /api/v1/status/config');
      if (err) return [err];
      const global = (g.probe.body as { global?: Record<string, unknown> }).global ?? {};
      const pairs: Array<[string, string | undefined]> = [
        ['scrape_interval', ctx.expected.prometheus.scrapeInterval],
        ['evaluation_interval', ctx.expected.prometheus.evaluationInterval],
      ];
      const diffs = pairs.filter(([k, w]) => w !== undefined && String(global[k]) !== w);
      const expected = Object.fromEntries(pairs.filter(([, w]) => w !== undefined));
      const actual = Object.fromEntries(pairs.map(([k]) => [k, global[k] ?? null]));
      return [
        diffs.length === 0
          ? pass(
              promRef(ctx),
              Object.entries(actual)
                .map(([k, v]) => `${k}=${v}`)
                .join(', '),
              { expected, actual, query: 'GET /api/v1/status/config' },
            )
          : fail(promRef(ctx), diffs.map(([k, w]) => `${k} is ${global[k]}, expected ${w}`).join('; '), {
              expected,
              actual,
              query: 'GET /api/v1/status/config',
            }),
      ];
    },
  ),
  check(
    'PRM008',
    'Rule groups are loaded without errors',
    'warning',
    'Every rule of /api/v1/rules has health `ok` (a rule with a bad expression or an evaluation error is named with its group and error).',
    'Fix the PrometheusRule named in the finding: kubectl -n <namespace> get prometheusrules -o yaml.',
    (ctx) => {
      const g = guard(ctx, 'rules');
      if ('status' in g) return [g];
      const err = apiError(promRef(ctx), g.probe, 'GET /api/v1/rules');
      if (err) return [err];
      const groups =
        (
          g.probe.body as {
            groups?: Array<{ name: string; rules: Array<{ name: string; health?: string; lastError?: string }> }>;
          }
        ).groups ?? [];
      const bad = groups.flatMap((grp) =>
        grp.rules.filter((r) => r.health && r.health !== 'ok').map((r) => ({ group: grp.name, ...r })),
      );
      const total = groups.reduce((a, grp) => a + grp.rules.length, 0);
      if (bad.length === 0)
        return [pass(promRef(ctx), `${groups.length} groups, ${total} rules healthy`, { query: 'GET /api/v1/rules' })];
      return bad.map((r) =>
        fail(promRef(ctx), `rule ${r.group}/${r.name} is ${r.health}: ${r.lastError ?? ''}`, {
          expected: 'ok',
          actual: { health: r.health, lastError: r.lastError ?? null },
          query: 'GET /api/v1/rules',
        }),
      );
    },
  ),
];
