/**
 * Runtime checks against the real Debian Prometheus and node-exporter on loopback: a healthy
 * Prometheus, a broken one (a target down, wrong retention, no Watchdog rule), an unreachable
 * one, and the TLS path through an HTTPS proxy with a test CA.
 */
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import type { Result } from '../../lib/checks/types';
import { collectRuntime } from '../../lib/collect/runtime';
import { openLiveSession } from '../../lib/collect';
import { parseVerifyRequest, verify } from '../../lib/verify';
import { labKubernetesState } from '../support/factories/k8s';
import { startLabFakes, useEnv } from '../support/fakes/lab';
import type { ExpectedState } from '../../lib/expected/types';
import type { RuntimeState, Snapshot } from '../../lib/snapshot/types';
import { labExpected } from '../support/factories/expected';
import { makeNode } from '../support/factories/k8s';
import { labSnapshot } from '../support/factories/snapshot';
import { startHttpsProxy } from '../support/fakes/https-proxy';
import { testPki } from '../support/fakes/tls';
import { freePort, startNodeExporter, startPrometheus, waitFor, type Peer } from '../support/peers/binaries';

let exporter: Peer;
let healthy: Peer;
let broken: Peer;

const RULES = `groups:\n- name: stackcheck-e2e\n  interval: 1s\n  rules:\n  - alert: Watchdog\n    expr: vector(1)\n    labels: { severity: none }\n`;

function config(targets: Record<string, string>, withRules: boolean): string {
  const jobs = Object.entries(targets)
    .map(([job, t]) => `- job_name: ${job}\n  static_configs: [ { targets: ['${t}'] } ]\n`)
    .join('');
  return `global: { scrape_interval: 1s, evaluation_interval: 1s }\n${withRules ? 'rule_files: [rules.yml]\n' : ''}scrape_configs:\n${jobs}`;
}

function expected(): ExpectedState {
  const e = labExpected({ defaultRules: true });
  e.prometheus = {
    ...e.prometheus,
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    retention: '5d',
    retentionSize: '10GiB',
  };
  return e;
}

function check(runtime: RuntimeState): Result[] {
  const s: Snapshot = labSnapshot();
  s.kubernetes.nodes = [makeNode('ip-192-168-1-10.ap-northeast-2.compute.internal')];
  s.runtime = runtime;
  s.collected.push('runtime.prometheus');
  return runChecks(allChecks, expected(), s, { checks: ['prometheus'] });
}

const statusOf = (rs: Result[], code: string) => rs.filter((r) => r.code === code).map((r) => r.status);

beforeAll(async () => {
  exporter = await startNodeExporter();
  const target = `127.0.0.1:${exporter.port}`;
  const closed = `127.0.0.1:${await freePort()}`;
  [healthy, broken] = await Promise.all([
    startPrometheus(config({ 'node-exporter': target, 'kube-state-metrics': target }, true), { 'rules.yml': RULES }, [
      '--storage.tsdb.retention.time=5d',
      '--storage.tsdb.retention.size=10GiB',
    ]),
    startPrometheus(config({ 'node-exporter': closed, 'kube-state-metrics': target }, false), {}, [
      '--storage.tsdb.retention.time=10d',
    ]),
  ]);
  // Wait until both have scraped once and the Watchdog is firing.
  await waitFor(
    'first scrapes',
    async () => {
      const r = await collectRuntime({ prometheusUrl: healthy.url, prometheus: true, grafana: false });
      const rs = check(r.runtime);
      return rs.every((x) => x.status === 'pass') ? true : undefined;
    },
    30_000,
    500,
  );
  await waitFor(
    'the broken target to be marked down',
    async () => {
      const t = (await (await fetch(`${broken.url}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ health: string }> };
      };
      return t.data.activeTargets.some((x) => x.health === 'down') ? true : undefined;
    },
    30_000,
    500,
  );
}, 90_000);

afterAll(async () => {
  await Promise.all([healthy?.stop(), broken?.stop(), exporter?.stop()]);
});

describe('runtime checks on a real Prometheus', () => {
  it('all pass on the healthy Prometheus, each query result carrying its PromQL', async () => {
    const { runtime } = await collectRuntime({ prometheusUrl: healthy.url, prometheus: true, grafana: false });
    const rs = check(runtime);
    expect(rs.filter((r) => r.status !== 'pass').map((r) => `${r.code} ${r.message}`)).toEqual([]);
    expect(rs.find((r) => r.code === 'PRM003')?.query).toBe('count(up{job=~".*node-exporter.*"} == 1)');
    expect(rs.find((r) => r.code === 'PRM005')?.query).toBe('ALERTS{alertname="Watchdog",alertstate="firing"}');
  });

  it('names the target that is down, its job, instance and last error', async () => {
    const { runtime } = await collectRuntime({ prometheusUrl: broken.url, prometheus: true, grafana: false });
    const rs = check(runtime);
    const down = rs.filter((r) => r.code === 'PRM002' && r.status === 'fail');
    expect(down).toHaveLength(1);
    expect(down[0].resource).toMatch(/^Target\/node-exporter\/127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(down[0].actual)).toMatch(/connection refused/);
    expect(statusOf(rs, 'PRM003')).toEqual(['fail']);
  });

  it('names the retention flag that differs', async () => {
    const { runtime } = await collectRuntime({ prometheusUrl: broken.url, prometheus: true, grafana: false });
    const rs = check(runtime).filter((r) => r.code === 'PRM006' && r.status === 'fail');
    expect(rs.map((r) => r.title)).toEqual([
      'Prometheus --storage.tsdb.retention.time as expected',
      'Prometheus --storage.tsdb.retention.size as expected',
    ]);
    expect(rs[0]).toMatchObject({ expected: '5d', actual: '10d' });
  });

  it('fails when the Watchdog rule is missing', async () => {
    const { runtime } = await collectRuntime({ prometheusUrl: broken.url, prometheus: true, grafana: false });
    expect(statusOf(check(runtime), 'PRM005')).toEqual(['fail']);
  });

  it('reports an unreachable Prometheus as one error with the URL and the cause, not a crash and not a pass', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { runtime } = await collectRuntime({
      prometheusUrl: url,
      prometheus: true,
      grafana: false,
      timeoutMs: 2_000,
    });
    const rs = check(runtime);
    expect(rs.filter((r) => r.status === 'error')).toEqual([
      expect.objectContaining({
        code: 'PRM001',
        message: expect.stringContaining(`${url}/-/ready: connection refused`),
      }),
    ]);
    expect(rs.filter((r) => r.status === 'pass')).toEqual([]);
  });

  it('goes through TLS with the test CA, and refuses an untrusted certificate', async () => {
    const proxy = await startHttpsProxy(healthy.url);
    try {
      const ok = await collectRuntime({
        prometheusUrl: proxy.url,
        prometheus: true,
        grafana: false,
        ca: testPki().caPem,
      });
      expect(check(ok.runtime).filter((r) => r.status !== 'pass')).toEqual([]);
      const untrusted = await collectRuntime({ prometheusUrl: proxy.url, prometheus: true, grafana: false });
      const rs = check(untrusted.runtime);
      expect(rs.find((r) => r.code === 'PRM001')).toMatchObject({
        status: 'error',
        message: expect.stringMatching(/TLS|certificate/),
      });
    } finally {
      await proxy.close();
    }
  });
});

describe('runtime checks in a live verify whose expectation comes from the Helm release', () => {
  it('probes Prometheus at the URL the release values give (no --values, no --prometheus-url)', async () => {
    // The deployed release's values point the ingress host at the healthy test Prometheus.
    const url = new URL(healthy.url);
    const kubernetes = labKubernetesState();
    kubernetes.helmReleases[1].config = {
      prometheus: {
        prometheusSpec: { retention: '5d', retentionSize: '10GiB', scrapeInterval: '1s', evaluationInterval: '1s' },
        ingress: { enabled: true, hosts: [url.host] },
      },
      defaultRules: { create: true },
    };
    const lab = await startLabFakes({ kubernetes });
    const restore = useEnv(lab.env);
    try {
      const out = await verify(
        parseVerifyRequest({ cluster: 'myeks', region: 'ap-northeast-2', checks: ['prometheus'] }),
        {
          openSession: openLiveSession,
        },
      );
      // https://<host> is the default; the test Prometheus speaks plain HTTP, so the probe reports a
      // TLS/protocol error — proving it was probed at the URL derived from the release.
      const prm1 = out.report.results.find((r) => r.code === 'PRM001');
      expect(prm1?.message).toContain(`https://${url.host}/-/ready`);
      // PRM003 uses the node list when there is one.
      expect(out.snapshot.collected).toEqual(['k8s.nodes', 'k8s.helmReleases', 'runtime.prometheus']);
      // The release was read once, before the plan; nothing else of the cluster was.
      expect(lab.kube.requests.filter((r) => r.path.endsWith('/secrets'))).toHaveLength(1);
    } finally {
      restore();
      await lab.stop();
    }
  });
});
