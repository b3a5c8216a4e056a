/**
 * `--format prometheus` as its consumers read it: the real promtool, the real node-exporter's
 * textfile collector, and a loopback Pushgateway stand-in that captures the request.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushMetrics } from '../../lib/adapters/pushgateway';
import { main, type CliIO } from '../../lib/cli/main';
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import type { Result } from '../../lib/checks/types';
import { applyMutes } from '../../lib/config/apply';
import { buildReport } from '../../lib/report/build';
import { escapeLabelValue, formatPrometheus } from '../../lib/report/format/prometheus';
import type { Report } from '../../lib/report/types';
import { driftedExample } from '../../scripts/make-examples';
import { labExpected } from '../support/factories/expected';
import { startNodeExporter, waitFor } from '../support/peers/binaries';

const ROOT = join(__dirname, '../..');

function drifted(mutes = true): Report {
  const s = driftedExample();
  const results = runChecks(allChecks, labExpected(), s);
  return buildReport({
    cluster: 'myeks',
    startedAt: new Date(s.collectedAt),
    finishedAt: new Date(Date.parse(s.collectedAt) + 812),
    results: mutes
      ? applyMutes(results, [{ code: 'WRK008', resource: '*', reason: 'lab' }], new Date(s.collectedAt))
      : results,
  });
}

function promtool(text: string): { code: number | null; out: string } {
  const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('--format prometheus', () => {
  it('passes promtool check metrics, with a series per result and the run totals', () => {
    const report = drifted();
    const text = formatPrometheus(report);
    expect(promtool(text)).toEqual({ code: 0, out: '' });
    expect((text.match(/^stackcheck_result\{/gm) ?? []).length).toBe(report.results.length);
    expect(text).toMatch(
      /^stackcheck_result\{cluster="myeks",code="WRK004",family="workloads",severity="critical",resource="Deployment\/monitoring\/kube-prometheus-stack-grafana",title="Deployments are available",status="fail",muted="false"\} 1$/m,
    );
    expect(text).toMatch(/^stackcheck_result\{[^}]*code="WRK008"[^}]*status="fail",muted="true"\} 0$/m);
    expect(text).toContain('stackcheck_failing_results{cluster="myeks",severity="critical"} 6\n');
    expect(text).toContain('stackcheck_failing_results{cluster="myeks",severity="warning"} 0\n');
    expect(text).toContain('stackcheck_muted_results{cluster="myeks"} 1\n');
    expect(text).toContain('stackcheck_run_duration_seconds{cluster="myeks"} 0.812\n');
    expect(text).toContain(
      `stackcheck_last_run_timestamp_seconds{cluster="myeks"} ${Date.parse(report.startedAt) / 1000}\n`,
    );
    // Series are unique (CRT003 yields one result per host on the same certificate).
    const series = text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.replace(/ [^ ]+$/, ''));
    expect(new Set(series).size).toBe(series.length);
  });

  it('escapes label values: backslash, double quote and newline', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const report = drifted(false);
    const evil: Result = { ...report.results[0], resource: 'Kind/ns/we"ird\\name\nnext', title: 'x "y"' };
    const text = formatPrometheus({ ...report, results: [evil, ...report.results] });
    expect(promtool(text)).toEqual({ code: 0, out: '' });
    expect(text).toContain('resource="Kind/ns/we\\"ird\\\\name\\nnext"');
  });

  it("is read by node-exporter's textfile collector without errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-textfile-'));
    writeFileSync(join(dir, 'stackcheck.prom'), formatPrometheus(drifted()));
    const exporter = await startNodeExporter({ textfileDir: dir });
    try {
      const body = await waitFor('textfile metrics', async () => {
        const t = await (await fetch(`${exporter.url}/metrics`)).text();
        return t.includes('stackcheck_result{') ? t : undefined;
      });
      expect(body).toMatch(/^node_textfile_scrape_error 0$/m);
      expect(body).toMatch(/^stackcheck_failing_results\{cluster="myeks",severity="critical"\} 6$/m);
    } finally {
      await exporter.stop();
    }
  }, 30_000);
});

describe('--pushgateway', () => {
  let server: Server;
  let base: string;
  const requests: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];
  let status = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(status).end(status === 200 ? '' : 'bad metrics');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('PUTs the exposition text to /metrics/job/stackcheck/cluster/<name>, Basic auth from the URL', async () => {
    const text = formatPrometheus(drifted());
    const out = await pushMetrics(`http://user:s3cret@127.0.0.1:${new URL(base).port}/`, 'myeks', text);
    expect(out.url).not.toContain('s3cret');
    const req = requests.pop();
    expect(req).toMatchObject({ method: 'PUT', url: '/metrics/job/stackcheck/cluster/myeks', body: text });
    expect(req?.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
  });

  it('verify --pushgateway pushes the run; a refused push is said on stderr and leaves the exit code', async () => {
    const io = (sink: { out: string; err: string }): CliIO => ({
      stdout: (t) => (sink.out += t),
      stderr: (t) => (sink.err += t),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: {},
      cwd: mkdtempSync(join(tmpdir(), 'stackcheck-cwd-')),
    });
    const args = ['verify', '--snapshot', join(ROOT, 'examples/drifted-snapshot.json'), '--pushgateway', base];
    const ok = { out: '', err: '' };
    expect(await main([...args, '-o', 'json'], io(ok))).toBe(1);
    const req = requests.pop();
    expect(req).toMatchObject({ method: 'PUT', url: '/metrics/job/stackcheck/cluster/myeks' });
    expect(promtool(req?.body ?? '')).toEqual({ code: 0, out: '' });
    expect(req?.body).toContain('stackcheck_run_success{cluster="myeks"} 0\n');
    expect(JSON.parse(ok.out).tool).toBe('stackcheck'); // stdout keeps its own format
    expect(ok.err).toContain(`metrics pushed to ${base}/metrics/job/stackcheck/cluster/myeks`);

    status = 503;
    try {
      const refused = { out: '', err: '' };
      expect(await main([...args, '--fail-on', 'never'], io(refused))).toBe(0);
      expect(refused.err).toMatch(/^stackcheck: --pushgateway: .*answered 503/m);
    } finally {
      status = 200;
    }
  });

  it('a refused push is an error naming the status, without the credentials', async () => {
    status = 400;
    try {
      await expect(pushMetrics(`http://u:s3cret@127.0.0.1:${new URL(base).port}`, 'myeks', 'x')).rejects.toThrow(
        /^PUT http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/stackcheck\/cluster\/myeks answered 400: bad metrics$/,
      );
    } finally {
      status = 200;
    }
  });
});
