/**
 * `npm run bench`: measures stackcheck against its goals (issue: Performance) and writes
 * bench/results.json. Everything runs on loopback: the wire-format fakes (with 50 ms added to
 * every response where latency matters), real child processes for memory and cold start.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { handleWebhook, type WebhookDeps } from '../lib/alertmanager/handler';
import { startServer } from '../lib/cli/serve';
import { FileStore } from '../lib/state/file';
import { MemoryStore } from '../lib/state/memory';
import { labKubernetesState, makePod, NODE_EXPORTER_LABELS } from '../test/support/factories/k8s';
import { LAB_HINTS, startLabFakes, useEnv } from '../test/support/fakes/lab';
import { amPayload } from '../test/unit/alertmanager/payloads';
import { bundleFunctions } from '../test/support/bundle';

const ROOT = join(__dirname, '..');
const LATENCY = 50;
const HINTS = LAB_HINTS;
/**
 * The longest chain of dependent calls in lib/collect (read from the code): the AWS side starts at
 * once, DescribeLoadBalancers → DescribeListeners → DescribeRules (beside it DescribeTargetGroups →
 * DescribeTargetHealth, and DescribeTags once listeners and target groups are known); the
 * Kubernetes side is DescribeCluster → one round of parallel lists (2 calls deep); ACM is 1.
 */
const CHAIN = ['elbv2:DescribeLoadBalancers', 'elbv2:DescribeListeners', 'elbv2:DescribeRules'];

interface Row {
  metric: string;
  value: number;
  unit: string;
  goal: string;
  met: boolean | null;
}
const rows: Row[] = [];
const row = (metric: string, value: number, unit: string, goal: string, met: boolean | null) =>
  rows.push({ metric, value: Math.round(value * 100) / 100, unit, goal, met });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Compiles dist/ (the children run the CLI's compiled code). */
function buildDist() {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT },
  );
}

async function latency() {
  const lab = await startLabFakes();
  lab.aws.faults.latencyMs = LATENCY;
  lab.kube.faults.latencyMs = LATENCY;
  try {
    const limit = CHAIN.length * LATENCY;
    // The collector runs in a child process: the fakes' own CPU (TLS, XML) stays in this one.
    const out = await runChild([join(ROOT, 'bench/collect-child.js'), 'latency'], { ...process.env, ...lab.env });
    const r = JSON.parse(out) as { times: number[]; sequentialMs: number; calls: number };
    const wall = median(r.times);
    row(
      'verify wall time, +50 ms per call (median of 5)',
      wall,
      'ms',
      `<= 1.25 x ${limit} ms (chain of ${CHAIN.length})`,
      wall <= 1.25 * limit,
    );
    row('same run one call at a time', r.sequentialMs, 'ms', 'report', null);
    row('speed-up from concurrency', r.sequentialMs / wall, 'x', 'report', null);
    row('API calls per run (lab, 3 nodes)', r.calls, 'calls', '<= 30', r.calls <= 30);
    return { limit, calls: r.calls };
  } finally {
    await lab.stop();
  }
}

/** A child process; resolves with its stdout, rejects with its stderr when it fails. */
function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let err = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`${args[0]} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

async function scale(limit: number, calls3: number, verifyBundle: string) {
  const k = labKubernetesState({ nodes: 500 });
  const extra = Array.from({ length: 20_000 - k.pods.length }, (_, i) => {
    const p = makePod(
      `app-${i}`,
      { kind: 'ReplicaSet', name: `app-${i % 400}` },
      k.nodes[i % 500].metadata.name,
      NODE_EXPORTER_LABELS,
    );
    p.metadata.namespace = `team-${i % 40}`;
    return p;
  });
  k.pods.push(...extra);
  const lab = await startLabFakes({ kubernetes: k });
  lab.aws.faults.latencyMs = LATENCY;
  lab.kube.faults.latencyMs = LATENCY;
  try {
    // The verify Lambda as deployed: its bundle, a cold then 5 warm invocations (the goals).
    const lambdaOut = await runChild([join(ROOT, 'bench/lambda-child.js'), verifyBundle], {
      ...process.env,
      ...lab.env,
      NODE_PATH: join(ROOT, 'node_modules'),
      POWERTOOLS_LOG_LEVEL: 'WARN',
      CLUSTER_NAME: 'myeks',
      VALUES_FILE: join(ROOT, 'examples/monitor-values.yaml'),
      VALUES_SET: JSON.stringify([
        'prometheus.prometheusSpec.scrapeInterval=15s',
        'prometheus.prometheusSpec.evaluationInterval=15s',
      ]),
      VALUES_ENV: JSON.stringify({ MyDomain: 'example.com', CERT_ARN: HINTS.certificateArns[0] }),
      SKIP_FAMILIES: JSON.stringify(['prometheus', 'grafana', 'heartbeat']),
    });
    const line = lambdaOut.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`the Lambda child printed no result: ${lambdaOut.slice(-2000)}`);
    const l = JSON.parse(line.slice(7)) as {
      coldMs: number;
      warmMs: number;
      warmCpuMs: number;
      outcome: string;
      summary: { error: number };
      maxRssMb: number;
    };
    if (l.outcome !== 'pass' || l.summary.error > 0)
      throw new Error(`the scale run did not pass: ${JSON.stringify(l)}`);
    row(
      'scale: 500 nodes, 20 000 pods, verify Lambda bundle, warm invocations (median of 5): wall time',
      l.warmMs,
      'ms',
      `<= 1.5 x ${limit} ms`,
      l.warmMs <= 1.5 * limit,
    );
    row('scale: same, cold invocation (first call of a fresh process)', l.coldMs, 'ms', 'report', null);
    // Lambda gives CPU in proportion to memory (1 769 MB = 1 vCPU): this sizes verifyMemory.
    row('scale: CPU time of a warm invocation (median)', l.warmCpuMs, 'ms', 'report', null);
    row('scale: peak RSS of the Lambda process (all 6 invocations)', l.maxRssMb, 'MB', '<= 128 MB', l.maxRssMb <= 128);

    // The CLI's code (dist/, not bundled) on the same cluster: one live collection and the checks.
    const out = await runChild([join(ROOT, 'bench/collect-child.js'), 'scale'], { ...process.env, ...lab.env });
    const r = JSON.parse(out) as { wallMs: number; calls: number; maxRssMb: number; nodes: number; pods: number };
    row(
      `scale: CLI code (dist/, cold process), read ${r.pods} pods of the namespace: wall time`,
      r.wallMs,
      'ms',
      'report',
      null,
    );
    row('scale: CLI code peak RSS (unbundled modules)', r.maxRssMb, 'MB', 'report', null);
    row('scale: API calls', r.calls, 'calls', `flat (= ${calls3})`, r.calls === calls3);
  } finally {
    await lab.stop();
  }
}

async function coldStart(bundles: Record<string, string>) {
  const goals: Record<string, [number, number]> = {
    verify: [1.5 * 1024 * 1024, 200],
    'alertmanager-webhook': [300 * 1024, 60],
  };
  for (const fn of Object.keys(goals)) {
    const outfile = bundles[fn];
    const size = statSync(outfile).size;
    const loads: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`,
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          // The bundle lives in a temporary directory: the AWS SDK (left out, as the Lambda runtime
          // provides it) is found through NODE_PATH.
          env: { ...process.env, AWS_REGION: 'ap-northeast-2', NODE_PATH: join(ROOT, 'node_modules') },
        },
      );
      if (r.status !== 0 || !Number(r.stdout)) throw new Error(`loading the ${fn} bundle failed: ${r.stderr}`);
      loads.push(Number(r.stdout));
    }
    const [maxSize, maxMs] = goals[fn];
    row(
      `bundle ${fn} (minified, AWS SDK from the runtime)`,
      size / 1024,
      'KB',
      `<= ${maxSize / 1024} KB`,
      size <= maxSize,
    );
    row(`load ${fn} in a fresh node (median of 10)`, median(loads), 'ms', `<= ${maxMs} ms`, median(loads) <= maxMs);
  }
}

async function webhook() {
  const deps: WebhookDeps = {
    store: new MemoryStore(),
    token: async () => 't',
    slackUrl: () => 'https://hooks.slack.com/services/T/B/X',
    postSlack: async () => {},
    publishSns: async () => {},
    defaultCluster: 'c',
    maxBodyBytes: 8 * 1024 * 1024,
  };
  for (const n of [5, 1000]) {
    const bodies = Array.from({ length: n === 5 ? 400 : 40 }, (_, i) =>
      Buffer.from(
        JSON.stringify(
          amPayload(
            { groupKey: `{}:{g="${n}-${i}"}` },
            Array.from({ length: n }, () => ({})),
          ),
        ),
      ),
    );
    const start = process.cpuUsage();
    for (const body of bodies)
      await handleWebhook(
        { method: 'POST', path: '/alertmanager', headers: { authorization: 'Bearer t' }, body },
        deps,
      );
    const cpu = process.cpuUsage(start);
    const per = (cpu.user + cpu.system) / 1000 / bodies.length;
    row(
      `webhook CPU per notification, ${n} alerts`,
      per,
      'ms',
      n === 5 ? '<= 1 ms' : '<= 25 ms',
      per <= (n === 5 ? 1 : 25),
    );
  }
  const restore = useEnv({});
  const server = await startServer({
    port: 0,
    store: new MemoryStore(),
    env: { ALERTMANAGER_TOKEN: 't', SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/unused' },
    deps: { postSlack: async () => {}, publishSns: undefined },
    log: () => {},
  });
  try {
    let i = 0;
    const result = await autocannon({
      url: `${server.url}/alertmanager`,
      method: 'POST',
      connections: 10,
      duration: 5,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            body: JSON.stringify(
              amPayload(
                { groupKey: `{}:{r="${i++}"}` },
                Array.from({ length: 5 }, () => ({})),
              ),
            ),
          }),
        },
      ],
    });
    row(
      'webhook requests/s through stackcheck serve (5 alerts, 10 connections)',
      result.requests.average,
      'req/s',
      'report',
      null,
    );
    row('webhook p99 latency through serve', result.latency.p99, 'ms', 'report', null);
    row('webhook non-2xx responses', result.non2xx, 'responses', '0', result.non2xx === 0);
  } finally {
    await server.close();
    restore();
  }
}

/** `serve --state FILE` with 20 000 records already in the file: a request must not pay for the file. */
async function webhookFileState() {
  const path = join(mkdtempSync(join(tmpdir(), 'stackcheck-bench-state-')), 'state.json');
  const seed = new FileStore(path);
  for (let chunk = 0; chunk < 20_000; chunk += 1000)
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        seed.put(`delivery#seed${chunk + i}#slack`, { state: 'sent', at: '' }, { ttlSeconds: 3600 }),
      ),
    );
  await seed.close();
  const server = await startServer({
    port: 0,
    state: path,
    env: { ALERTMANAGER_TOKEN: 't', SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/unused' },
    deps: { postSlack: async () => {}, publishSns: undefined },
    log: () => {},
  });
  try {
    let i = 0;
    const result = await autocannon({
      url: `${server.url}/alertmanager`,
      method: 'POST',
      connections: 10,
      duration: 5,
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            body: JSON.stringify(amPayload({ groupKey: `{}:{f="${i++}"}` })),
          }),
        },
      ],
    });
    row(
      'webhook p99 latency through serve --state FILE (20 000 records)',
      result.latency.p99,
      'ms',
      '<= 50 ms',
      result.latency.p99 <= 50,
    );
    row('webhook non-2xx responses (--state FILE)', result.non2xx, 'responses', '0', result.non2xx === 0);
  } finally {
    await server.close();
  }
}

function cli() {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        '--require',
        join(ROOT, 'bench/rss-reporter.js'),
        join(ROOT, 'bin/stackcheck.js'),
        'verify',
        '--snapshot',
        'examples/healthy-snapshot.json',
        '--quiet',
        '--format',
        'json',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    times.push(Date.now() - t0);
    rss = Math.max(rss, Number(/BENCH_MAXRSS_MB=([\d.]+)/.exec(r.stderr)?.[1] ?? 0));
  }
  row('CLI on the bundled example: wall time (median of 5)', median(times), 'ms', 'report', null);
  row('CLI on the bundled example: peak RSS', rss, 'MB', 'report', null);
}

async function main() {
  const started = Date.now();
  buildDist();
  const { limit, calls } = await latency();
  const bundles = await bundleFunctions();
  await scale(limit, calls, bundles.verify);
  await coldStart(bundles);
  await webhook();
  await webhookFileState();
  cli();
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const doc = { date: new Date().toISOString(), machine, durationS: Math.round((Date.now() - started) / 1000), rows };
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const w = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(`stackcheck bench — ${doc.date} — ${machine}\n\n`);
  process.stdout.write(
    `${'metric'.padEnd(w)}  ${'value'.padStart(10)}  unit       goal                              met\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${r.metric.padEnd(w)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(9)}  ${r.goal.padEnd(32)}  ${r.met === null ? '-' : r.met ? 'yes' : 'NO'}\n`,
    );
  process.stdout.write(`\nwrote bench/results.json in ${doc.durationS} s\n`);
  // Markdown for the README.
  process.stdout.write(
    `\n| metric | value | goal | met |\n|---|---:|---|---|\n${rows.map((r) => `| ${r.metric} | ${r.value} ${r.unit} | ${r.goal} | ${r.met === null ? '–' : r.met ? 'yes' : '**no**'} |`).join('\n')}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
