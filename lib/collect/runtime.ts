/**
 * Runtime probes: Prometheus and Grafana as users reach them (through the ALB by default).
 * Answers are trimmed to what the checks read so snapshots stay small. A Prometheus that cannot
 * be reached is recorded in the `ready` probe (PRM001 reports it once, with URL and cause).
 */
import { describeHttpError, httpGet } from '../adapters/http';
import { PROMQL } from '../snapshot/queries';
import type { HttpProbe, RuntimeState } from '../snapshot/types';
import { parse as parseYaml } from 'yaml';
import type { Collector } from './types';

export interface RuntimeOptions {
  prometheusUrl?: string;
  grafanaUrl?: string;
  grafanaToken?: string;
  timeoutMs?: number;
  ca?: string | Buffer;
  prometheus: boolean;
  grafana: boolean;
}

async function probe(
  base: string,
  path: string,
  opts: RuntimeOptions,
  transform: (body: unknown) => unknown = (b) => b,
  bearer?: string,
): Promise<HttpProbe> {
  const url = `${base.replace(/\/$/, '')}${path}`;
  try {
    const r = await httpGet(url, { timeoutMs: opts.timeoutMs, ca: opts.ca, bearer });
    let body: unknown;
    try {
      body = JSON.parse(r.text);
    } catch {
      return { url, status: r.status, text: r.text.slice(0, 300), durationMs: r.durationMs };
    }
    return { url, status: r.status, body: transform(body), durationMs: r.durationMs };
  } catch (err) {
    return { url, error: describeHttpError(err) };
  }
}

const trimTargets = (b: unknown) => {
  const active = (b as { data?: { activeTargets?: Array<Record<string, unknown>> } }).data?.activeTargets ?? [];
  return {
    activeTargets: active.map((t) => ({
      job:
        (t.labels as Record<string, string> | undefined)?.job ??
        (t.discoveredLabels as Record<string, string> | undefined)?.job,
      instance: (t.labels as Record<string, string> | undefined)?.instance,
      scrapePool: t.scrapePool,
      health: t.health,
      lastError: t.lastError,
      scrapeUrl: t.scrapeUrl,
    })),
  };
};

const trimConfig = (b: unknown) => {
  const yaml = (b as { data?: { yaml?: string } }).data?.yaml ?? '';
  const doc = parseYaml(yaml) as { global?: Record<string, unknown> } | null;
  return {
    global: { scrape_interval: doc?.global?.scrape_interval, evaluation_interval: doc?.global?.evaluation_interval },
  };
};

const trimRules = (b: unknown) => {
  const groups =
    (b as { data?: { groups?: Array<{ name: string; file?: string; rules?: Array<Record<string, unknown>> }> } }).data
      ?.groups ?? [];
  return {
    groups: groups.map((g) => ({
      name: g.name,
      file: g.file,
      rules: (g.rules ?? []).map((r) => ({ name: r.name, type: r.type, health: r.health, lastError: r.lastError })),
    })),
  };
};

const trimFlags = (b: unknown) => {
  const f = (b as { data?: Record<string, string> }).data ?? {};
  return {
    data: {
      'storage.tsdb.retention.time': f['storage.tsdb.retention.time'],
      'storage.tsdb.retention.size': f['storage.tsdb.retention.size'],
      'web.external-url': f['web.external-url'],
    },
  };
};

export async function collectRuntime(opts: RuntimeOptions): Promise<{ runtime: RuntimeState; calls: number }> {
  const runtime: RuntimeState = {};
  let calls = 0;
  const jobs: Array<Promise<void>> = [];
  if (opts.prometheus && opts.prometheusUrl) {
    const base = opts.prometheusUrl;
    const probes: Record<string, HttpProbe> = {};
    runtime.prometheus = { baseUrl: base, probes };
    const ready = await probe(base, '/-/ready', opts);
    calls += 1;
    probes.ready = ready;
    if (!ready.error) {
      const paths: Record<string, [string, (b: unknown) => unknown]> = {
        targets: ['/api/v1/targets?state=active', trimTargets],
        flags: ['/api/v1/status/flags', trimFlags],
        config: ['/api/v1/status/config', trimConfig],
        rules: ['/api/v1/rules', trimRules],
      };
      for (const [name, q] of Object.entries(PROMQL))
        paths[`query:${name}`] = [`/api/v1/query?query=${encodeURIComponent(q)}`, (b) => b];
      jobs.push(
        ...Object.entries(paths).map(async ([name, [path, t]]) => {
          calls += 1;
          probes[name] = await probe(base, path, opts, t);
        }),
      );
    }
  }
  if (opts.grafana && opts.grafanaUrl) {
    const base = opts.grafanaUrl;
    const probes: Record<string, HttpProbe> = {};
    runtime.grafana = { baseUrl: base, probes };
    jobs.push(
      (async () => {
        calls += 1;
        probes.health = await probe(base, '/api/health', opts);
        if (opts.grafanaToken && !probes.health.error) {
          calls += 1;
          const ds = await probe(
            base,
            '/api/datasources',
            opts,
            (b) =>
              Array.isArray(b)
                ? b.map((d: Record<string, unknown>) => ({ uid: d.uid, name: d.name, type: d.type }))
                : b,
            opts.grafanaToken,
          );
          probes.datasources = ds;
          const prom = Array.isArray(ds.body)
            ? (ds.body as Array<{ uid: string; type: string }>).find((d) => d.type === 'prometheus')
            : undefined;
          if (prom) {
            calls += 1;
            probes.prometheusDatasource = await probe(
              base,
              `/api/datasources/uid/${encodeURIComponent(prom.uid)}/health`,
              opts,
              (b) => b,
              opts.grafanaToken,
            );
          }
        }
      })(),
    );
  }
  await Promise.all(jobs);
  return { runtime, calls };
}

/** Prometheus and Grafana as users reach them: one collector each. */
export const runtimeCollectors: Collector[] = [
  {
    key: 'runtime.prometheus',
    source: 'prometheus',
    unavailable: ({ hints }) =>
      hints.prometheusUrl ? undefined : 'Prometheus was not probed (live runs only; give --prometheus-url or --domain)',
    async collect(ctx) {
      const { runtime, calls } = await collectRuntime({
        prometheusUrl: ctx.hints.prometheusUrl,
        timeoutMs: ctx.timeoutMs,
        prometheus: true,
        grafana: false,
      });
      ctx.count('http', calls);
      ctx.parts.runtime.prometheus = runtime.prometheus;
    },
  },
  {
    key: 'runtime.grafana',
    source: 'grafana',
    unavailable: ({ hints }) =>
      hints.grafanaUrl ? undefined : 'Grafana was not probed (live runs only; give --grafana-url or --domain)',
    async collect(ctx) {
      const { runtime, calls } = await collectRuntime({
        grafanaUrl: ctx.hints.grafanaUrl,
        grafanaToken: ctx.env.GRAFANA_TOKEN,
        timeoutMs: ctx.timeoutMs,
        prometheus: false,
        grafana: true,
      });
      ctx.count('http', calls);
      ctx.parts.runtime.grafana = runtime.grafana;
    },
  },
];
