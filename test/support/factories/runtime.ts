/** Recorded Prometheus and Grafana HTTP API answers (as the runtime collector stores them) for the lab. */
import type { HttpProbe, Snapshot } from '../../../lib/snapshot/types';

export const BASE = 'https://prometheus.example.com';
export const vec = (v: number | null): HttpProbe => ({
  url: `${BASE}/api/v1/query`,
  status: 200,
  body: {
    status: 'success',
    data: { resultType: 'vector', result: v === null ? [] : [{ metric: {}, value: [1795564537.4, String(v)] }] },
  },
});

/** Prometheus HTTP API answers (trimmed as the collector stores them) for a healthy 3-node lab. */
export function healthyProbes(): Record<string, HttpProbe> {
  return {
    ready: { url: `${BASE}/-/ready`, status: 200, text: 'Prometheus Server is Ready.' },
    targets: {
      url: `${BASE}/api/v1/targets`,
      status: 200,
      body: { activeTargets: [{ job: 'node-exporter', instance: '192.168.1.10:9100', health: 'up', lastError: '' }] },
    },
    flags: {
      url: `${BASE}/api/v1/status/flags`,
      status: 200,
      body: { data: { 'storage.tsdb.retention.time': '5d', 'storage.tsdb.retention.size': '10GiB' } },
    },
    config: {
      url: `${BASE}/api/v1/status/config`,
      status: 200,
      body: { global: { scrape_interval: '15s', evaluation_interval: '15s' } },
    },
    rules: {
      url: `${BASE}/api/v1/rules`,
      status: 200,
      body: { groups: [{ name: 'k8s.rules', rules: [{ name: 'node:x', health: 'ok' }] }] },
    },
    'query:nodeExporterUp': vec(3),
    'query:kubeStateMetricsUp': vec(1),
    'query:watchdog': vec(1),
    'query:nodeCount': vec(3),
  };
}

export function withProbes(mutate: (p: Record<string, HttpProbe>) => void = () => {}) {
  return (s: Snapshot) => {
    const probes = healthyProbes();
    mutate(probes);
    s.runtime.prometheus = { baseUrl: BASE, probes };
    s.runtime.grafana = {
      baseUrl: 'https://grafana.example.com',
      probes: {
        health: {
          url: 'https://grafana.example.com/api/health',
          status: 200,
          body: { database: 'ok', version: '9.5.3' },
        },
        datasources: {
          url: 'https://grafana.example.com/api/datasources',
          status: 200,
          body: [{ uid: 'prometheus', type: 'prometheus' }],
        },
        prometheusDatasource: {
          url: 'https://grafana.example.com/api/datasources/uid/prometheus/health',
          status: 200,
          body: { status: 'OK', message: 'Successfully queried the Prometheus API.' },
        },
      },
    };
    s.collected.push('runtime.prometheus', 'runtime.grafana');
  };
}
