/**
 * `npm run bench`: measures stackcheck against the goals of its performance issues, prints every
 * figure with its goal and margin, writes bench/results.json (and the CPU profile of the 500-node
 * warm invocations to bench/profile-500.cpuprofile), and exits 1 when a goal is missed.
 *
 * Everything runs on loopback: the wire-format fakes in this process (with 50 ms added to every
 * response where latency matters), what is measured in child processes, so the fakes' own CPU
 * (TLS, XML, JSON of thousands of objects) is never counted. The verify goals are measured on what
 * runs in Lambda: the minified bundle's handler, invoked as the runtime invokes it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { handleWebhook, type WebhookDeps } from '../lib/alertmanager/handler';
import { startServer } from '../lib/cli/serve';
import { FileStore } from '../lib/state/file';
import { MemoryStore } from '../lib/state/memory';
import { largeClusterState } from '../test/support/factories/k8s-large';
import { bundleFunctions } from '../test/support/bundle';
import { LAB_HINTS, startLabFakes, type LabFakes } from '../test/support/fakes/lab';
import { amPayload } from '../test/unit/alertmanager/payloads';
import { serverChild, type ServerChild } from './server-process';
import { LAB_VALUES_ARGS } from '../test/support/cli';

const ROOT = join(__dirname, '..');
const LATENCY = 50;
const PAGE = 500;
const CERT = LAB_HINTS.certificateArns[0];
const LAB_ARGS = LAB_VALUES_ARGS;

/**
 * AWS Lambda list price for arm64 (us-east-1; ap-northeast-2 has the same): per GB-second of
 * the first 7.5 billion GB-s a month, and per request. Published with the arm64 launch on
 * 2021-09-29 and unchanged on the pricing page since (https://aws.amazon.com/lambda/pricing/);
 * not re-read from this machine (no Internet): check it before quoting a cost.
 */
const PRICE = { perGbSecond: 0.0000133334, perRequest: 0.2 / 1e6, date: '2021-09-29', memoryMb: 512 };
/** A rate(5 minutes) schedule: invocations in an average month (365.25 / 12 days). */
const RUNS_PER_MONTH = (365.25 / 12) * 24 * 12;
/** Lambda gives a function CPU in proportion to its memory: 1 769 MB is one vCPU. */
const VCPU_MB = 1769;

// ---------------------------------------------------------------------------------------------
// Rows

interface Row {
  metric: string;
  value: number;
  unit: string;
  goal: string;
  /** How far from the goal, in words ("12% under", "3.1 ms over"); empty for report-only rows. */
  margin: string;
  met: boolean | null;
}
const rows: Row[] = [];
const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A goal of the form value <= limit. */
function atMost(metric: string, value: number, unit: string, limit: number, goal = `<= ${round(limit)} ${unit}`) {
  const pct = limit === 0 ? 0 : ((limit - value) / limit) * 100;
  const margin =
    limit === 0
      ? value === 0
        ? 'none'
        : `OVER by ${round(value)} ${unit}`
      : value <= limit
        ? `${round(pct)}% under`
        : `${round(-pct)}% OVER (by ${round(value - limit)} ${unit})`;
  rows.push({ metric, value: round(value), unit, goal, margin, met: value <= limit });
}
/** A goal of the form value >= limit. */
function atLeast(metric: string, value: number, unit: string, limit: number, goal = `>= ${round(limit)} ${unit}`) {
  const pct = ((value - limit) / limit) * 100;
  const margin = value >= limit ? `${round(pct)}% over` : `${round(-pct)}% SHORT (by ${round(limit - value)} ${unit})`;
  rows.push({ metric, value: round(value), unit, goal, margin, met: value >= limit });
}
function report(metric: string, value: number, unit: string) {
  rows.push({ metric, value: round(value), unit, goal: 'report', margin: '', met: null });
}

// ---------------------------------------------------------------------------------------------
// The longest chain of dependent calls

/**
 * The calls of a verify run and what each waits for (lib/collect): the AWS side starts at once
 * (DescribeLoadBalancers → DescribeListeners → DescribeRules; → DescribeTargetGroups →
 * DescribeTargetHealth; DescribeTags once listeners and target groups are known; ACM beside);
 * the Kubernetes lists wait for DescribeCluster (the endpoint and CA) and each page of a list for
 * the page before it (the continue token). The wall time of a run can not be shorter than the
 * longest path through this graph times the latency of one call.
 */
function callGraph(nodes: number, podsInNamespace: number): Record<string, { after: string[]; calls: number }> {
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));
  return {
    'eks:DescribeCluster': { after: [], calls: 1 },
    'k8s:list nodes': { after: ['eks:DescribeCluster'], calls: pages(nodes) },
    'k8s:list pods (namespace)': { after: ['eks:DescribeCluster'], calls: pages(podsInNamespace) },
    'k8s:other lists (one page each)': { after: ['eks:DescribeCluster'], calls: 1 },
    'elbv2:DescribeLoadBalancers': { after: [], calls: 1 },
    'elbv2:DescribeListeners': { after: ['elbv2:DescribeLoadBalancers'], calls: 1 },
    'elbv2:DescribeRules': { after: ['elbv2:DescribeListeners'], calls: 1 },
    'elbv2:DescribeTargetGroups': { after: ['elbv2:DescribeLoadBalancers'], calls: 1 },
    'elbv2:DescribeTargetHealth': { after: ['elbv2:DescribeTargetGroups'], calls: 1 },
    'elbv2:DescribeTags': { after: ['elbv2:DescribeListeners', 'elbv2:DescribeTargetGroups'], calls: 1 },
    'acm:DescribeCertificate': { after: [], calls: 1 },
  };
}

function longestChain(nodes: number, podsInNamespace: number): { calls: number; path: string[] } {
  const g = callGraph(nodes, podsInNamespace);
  const memo = new Map<string, { calls: number; path: string[] }>();
  const depth = (name: string): { calls: number; path: string[] } => {
    const known = memo.get(name);
    if (known) return known;
    const before = g[name].after.map(depth).sort((a, b) => b.calls - a.calls)[0] ?? { calls: 0, path: [] };
    const out = { calls: before.calls + g[name].calls, path: [...before.path, `${name} x${g[name].calls}`] };
    memo.set(name, out);
    return out;
  };
  return Object.keys(g)
    .map(depth)
    .sort((a, b) => b.calls - a.calls)[0];
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** A child process; resolves with its stdout, rejects with its stderr when it fails. */
function runChild(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{ out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve({ out, err }) : reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

interface LambdaRun {
  loadMs: number;
  loadCpuMs: number;
  coldMs: number;
  coldCpuMs: number;
  warmMs: number[];
  warmCpuMs: number[];
  /** The same CPU split by thread (Linux only, else null): the main thread's, and the others'. */
  warmMainCpuMs: number[] | null;
  warmHelperCpuMs: number[] | null;
  /** Full (mark-compact) garbage collections in each warm invocation, and its main-thread GC pauses. */
  warmFullGcs: number[];
  warmGcPauseMs: number[];
  failing: string[];
  maxRssMb: number;
}

/**
 * Where a run's warm CPU went, as report rows: the main thread and the other threads (V8's
 * platform workers: compiling functions that became hot, concurrent marking and sweeping), and
 * the full garbage collections. The medians of the parts need not add up to the total's.
 */
function cpuBreakdown(label: string, r: LambdaRun) {
  if (r.warmMainCpuMs && r.warmHelperCpuMs) {
    report(`${label}: of which the main thread (median)`, median(r.warmMainCpuMs), 'ms');
    report(
      `${label}: of which the other threads (V8's JIT compiler and concurrent GC; median)`,
      median(r.warmHelperCpuMs),
      'ms',
    );
  }
  report(
    `${label}: full GCs (mark-compact) in ${r.warmFullGcs.length} warm invocations`,
    r.warmFullGcs.reduce((a, b) => a + b, 0),
    'GCs',
  );
  report(`${label}: of which main-thread GC pauses (median)`, median(r.warmGcPauseMs), 'ms');
}

/**
 * The V8 heap flags the Lambda Node.js runtime's bootstrap gives a function of `memoryMb` (new
 * space a tenth of the memory, half of it per semi-space; the rest old space), so the heap grows
 * as it would there.
 */
function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

/** The verify Lambda bundle in a fresh process against the fakes: a cold and `warm` warm invocations. */
async function lambdaRun(
  lab: LabFakes,
  bundle: string,
  warm: number,
  opts: { profileFile?: string; memoryMb?: number } = {},
): Promise<LambdaRun> {
  const { out } = await runChild(
    [
      ...lambdaHeapFlags(opts.memoryMb ?? PRICE.memoryMb),
      join(ROOT, 'bench/lambda-child.js'),
      bundle,
      String(warm),
      ...(opts.profileFile ? [opts.profileFile] : []),
    ],
    {
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
      VALUES_ENV: JSON.stringify({ MyDomain: 'example.com', CERT_ARN: CERT }),
      SKIP_FAMILIES: JSON.stringify(['prometheus', 'grafana', 'heartbeat']),
    },
  );
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the Lambda child printed no result: ${out.slice(-2000)}`);
  return JSON.parse(line.slice(7)) as LambdaRun;
}

/** Top functions by self time of a V8 CPU profile, and time per package. */
function profileSummary(file: string, runs: number, top = 12): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const where = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const d = p.timeDeltas[i] ?? 0;
    if (!n || n.callFrame.functionName === '(idle)') return;
    total += d;
    // The inspector's own work to start the profiler is not the invocation's.
    if (n.callFrame.functionName === 'dispatch' && !n.callFrame.url) return;
    const url = n.callFrame.url.includes('node_modules/')
      ? n.callFrame.url.replace(/^.*node_modules\//, '')
      : n.callFrame.url.replace(/^.*\//, '');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + d);
    const area = n.callFrame.url.startsWith('node:')
      ? n.callFrame.url.split('/')[0].replace(/^node:internal.*/, 'node internals')
      : n.callFrame.url
        ? 'verify bundle (stackcheck, SDK clients, client-node)'
        : n.callFrame.functionName;
    where.set(area, (where.get(area) ?? 0) + d);
  });
  const ms = (us: number) => `${(us / 1000 / runs).toFixed(2).padStart(7)} ms`;
  return [
    `CPU profile of ${runs} warm invocations at 500 nodes (bench/profile-500.cpuprofile; per invocation, profiler on): ${(total / 1000 / runs).toFixed(1)} ms sampled`,
    ...[...where]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, v]) => `  ${ms(v)}  ${k}`),
    '  top functions by self time:',
    ...[...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${ms(v)}  ${k}`),
  ];
}

// ---------------------------------------------------------------------------------------------
// The measurements

const profileLines: string[] = [];
const costs: { lab?: LambdaRun; large?: LambdaRun } = {};

/** The lab (3 nodes), +50 ms per call: wall time against the longest chain, cold against warm. */
async function lab(verifyBundle: string) {
  const fakes = await startLabFakes();
  fakes.aws.faults.latencyMs = LATENCY;
  fakes.kube.faults.latencyMs = LATENCY;
  try {
    const r = await lambdaRun(fakes, verifyBundle, 5);
    const chain = longestChain(3, 4);
    const limit = chain.calls * LATENCY;
    const wall = median(r.warmMs);
    atMost(
      `lab (3 nodes), +${LATENCY} ms per call: verify wall time, warm (median of 5)`,
      wall,
      'ms',
      1.1 * limit,
      `<= 1.1 x ${limit} ms (chain: ${chain.path.join(' → ')})`,
    );
    atMost(
      'lab: cold invocation (first of a fresh process) / warm',
      r.coldMs / wall,
      'x',
      1.5,
      `<= 1.5 x (cold ${round(r.coldMs)} ms)`,
    );
    const calls = fakes.aws.calls.length + fakes.kube.requests.length;
    atMost('lab: API calls per run', calls / 6, 'calls', 30);
    report('lab: CPU of a warm invocation (median)', median(r.warmCpuMs), 'ms');
    cpuBreakdown('lab: warm CPU', r);
    report('lab: peak RSS of the Lambda process', r.maxRssMb, 'MB');
    costs.lab = r;
  } finally {
    await fakes.stop();
  }
}

/** 500 nodes, 20 000 pods in the cluster: CPU of a warm invocation, and its profile. */
async function nodes500(verifyBundle: string) {
  const big = largeClusterState({ nodes: 500, clusterPods: 20_000 });
  const fakes = await startLabFakes({ kubernetes: big.kubernetes, otherPods: big.otherPods, cacheJson: true });
  fakes.aws.faults.latencyMs = LATENCY;
  fakes.kube.faults.latencyMs = LATENCY;
  try {
    const r = await lambdaRun(fakes, verifyBundle, 5);
    atMost('500 nodes (20 000 pods): CPU of a warm verify invocation (median of 5)', median(r.warmCpuMs), 'ms', 40);
    cpuBreakdown('500 nodes: warm CPU', r);
    report('500 nodes: wall time of a warm invocation, +50 ms per call (median)', median(r.warmMs), 'ms');
    report('500 nodes: peak RSS of the Lambda process', r.maxRssMb, 'MB');
    const profile = join(ROOT, 'bench/profile-500.cpuprofile');
    await lambdaRun(fakes, verifyBundle, 5, { profileFile: profile });
    profileLines.push(...profileSummary(profile, 5));
  } finally {
    await fakes.stop();
  }
}

/** 5 000 nodes, 100 000 pods in the cluster: peak RSS and CPU of the verify Lambda. */
async function nodes5000(verifyBundle: string) {
  const big = largeClusterState({ nodes: 5000, clusterPods: 100_000 });
  const fakes = await startLabFakes({ kubernetes: big.kubernetes, otherPods: big.otherPods, cacheJson: true });
  fakes.aws.faults.latencyMs = LATENCY;
  fakes.kube.faults.latencyMs = LATENCY;
  try {
    // As deployed (512 MB): CPU; in a 128 MB function (its heap limits): peak RSS.
    const r = await lambdaRun(fakes, verifyBundle, 3);
    atMost('5 000 nodes (100 000 pods): CPU of a warm verify invocation (median of 3)', median(r.warmCpuMs), 'ms', 400);
    cpuBreakdown('5 000 nodes: warm CPU', r);
    report('5 000 nodes: peak RSS with the heap limits of a 512 MB function', r.maxRssMb, 'MB');
    const small = await lambdaRun(fakes, verifyBundle, 3, { memoryMb: 128 });
    atMost(
      '5 000 nodes: peak RSS of the verify Lambda process with the heap limits of a 128 MB function (cold + 3 warm)',
      small.maxRssMb,
      'MB',
      128,
    );
    report('5 000 nodes: CPU of a warm invocation in a 128 MB function (median of 3)', median(small.warmCpuMs), 'ms');
    const chain = longestChain(5000, 5001);
    report(
      `5 000 nodes: wall time of a warm invocation, +50 ms per call (chain of ${chain.calls} calls = ${chain.calls * LATENCY} ms)`,
      median(r.warmMs),
      'ms',
    );
    costs.large = r;
  } finally {
    await fakes.stop();
  }
}

/** What a rate(5 minutes) schedule costs a month on arm64 Lambda at PRICE.memoryMb. */
function cost(label: string, r: LambdaRun) {
  const wall = median(r.warmMs);
  const cpu = median(r.warmCpuMs);
  // Waiting on the network is as here; CPU runs at the share of a vCPU the memory buys.
  const share = Math.min(1, PRICE.memoryMb / VCPU_MB);
  const seconds = (Math.max(0, wall - cpu) + cpu / share) / 1000;
  const perMonth = RUNS_PER_MONTH * ((PRICE.memoryMb / 1024) * seconds * PRICE.perGbSecond + PRICE.perRequest);
  report(
    `cost per cluster-month, ${label}: arm64, ${PRICE.memoryMb} MB, every 5 min (${Math.round(RUNS_PER_MONTH)} runs of ~${Math.round(seconds * 1000)} ms billed; $${PRICE.perGbSecond}/GB-s, $0.20/1M requests, list price of ${PRICE.date})`,
    perMonth,
    'USD',
  );
}

async function coldStart(bundles: Record<string, string>) {
  const goals: Record<string, { size: number; load: number }> = {
    verify: { size: 1.5 * 1024 * 1024, load: 100 },
    'alertmanager-webhook': { size: 300 * 1024, load: 60 },
  };
  for (const fn of Object.keys(goals)) {
    const file = bundles[fn as keyof typeof bundles];
    const loads: number[] = [];
    const loadCpu: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          `const t=process.hrtime.bigint(),c=process.cpuUsage();require(${JSON.stringify(file)});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify([Number(process.hrtime.bigint()-t)/1e6,(u.user+u.system)/1000]))`,
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          // The AWS SDK (left out of the bundle: the Lambda runtime provides it) from NODE_PATH.
          env: { ...process.env, AWS_REGION: 'ap-northeast-2', NODE_PATH: join(ROOT, 'node_modules') },
        },
      );
      if (r.status !== 0) throw new Error(`loading the ${fn} bundle failed: ${r.stderr}`);
      const [ms, cpu] = JSON.parse(r.stdout) as [number, number];
      loads.push(ms);
      loadCpu.push(cpu);
    }
    atMost(
      `bundle ${fn} (minified, AWS SDK from the runtime)`,
      statSync(file).size / 1024,
      'KB',
      goals[fn].size / 1024,
    );
    atMost(
      `load ${fn} bundle in a fresh node (median of 10; CPU ${round(median(loadCpu))} ms)`,
      median(loads),
      'ms',
      goals[fn].load,
    );
  }
}

async function webhookCpu() {
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
    atMost(
      `webhook CPU per notification, ${n} alerts`,
      (cpu.user + cpu.system) / 1000 / bodies.length,
      'ms',
      n === 5 ? 1 : 25,
    );
  }
}

/** Runs of the load generator so far (each gives its group keys a prefix of its own). */
let loadRuns = 0;

/**
 * The same load against a server, from a load generator in a process of its own
 * (bench/load-child.ts: autocannon, 10 connections, 1 s of warm-up then 4 s measured), and the
 * server process's CPU per request while it was measured.
 */
function load(
  server: ServerChild,
): Promise<{ average: number; total: number; p99: number; non2xx: number; cpuPerRequestUs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'scripts/run-ts.js'),
        join(ROOT, 'bench/load-child.ts'),
        `${server.url}/alertmanager`,
        `run${loadRuns++}-${process.pid}`,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let cpu: Promise<NodeJS.CpuUsage> | undefined;
    let used: Promise<NodeJS.CpuUsage> | undefined;
    child.stdout.on('data', (d) => {
      out += d;
      // A server that exits rejects these; the rejection is reported once the load generator is done.
      if (!cpu && out.includes('MEASURE\n')) (cpu = server.cpu()).catch(() => {});
      if (cpu && !used && out.includes('RESULT ')) (used = server.cpu()).catch(() => {});
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line || !cpu || !used)
        return reject(new Error(`the load generator failed (${code}): ${err.slice(-2000)}`));
      const r = JSON.parse(line.slice(7)) as { average: number; total: number; p99: number; non2xx: number };
      Promise.all([cpu, used]).then(([a, b]) => {
        const us = b.user - a.user + (b.system - a.system);
        resolve({ ...r, cpuPerRequestUs: us / Math.max(1, r.total) });
      }, reject);
    });
  });
}

/**
 * `stackcheck serve` against a bare node:http server that reads the body and answers 200, each in
 * a process of its own (bench/server-child.ts), one after the other.
 */
async function webhookServe() {
  const bare = await serverChild('bare');
  const base = await load(bare).finally(() => bare.stop());
  const server = await serverChild('serve');
  const serve = await load(server).finally(() => server.stop());
  report(
    'bare node:http server answering 200 (5 alerts, 10 connections, 4 s after 1 s of warm-up): requests/s',
    base.average,
    'req/s',
  );
  report(
    'bare server: CPU of the server process per request (the load generator runs in another)',
    base.cpuPerRequestUs,
    'us',
  );
  report('webhook through serve: CPU of the server process per request', serve.cpuPerRequestUs, 'us');
  atLeast(
    `webhook through stackcheck serve: requests/s (${round(serve.average)}) / the bare server's`,
    serve.average / base.average,
    'x',
    0.5,
  );
  atMost('webhook through serve: p99 latency', serve.p99, 'ms', 10);
  atMost('webhook through serve: non-2xx responses', serve.non2xx, 'responses', 0, '0');
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
    // Only latency is read here (the server runs in this process: its CPU is not reported).
    const result = await load({ url: server.url, cpu: async () => process.cpuUsage(), stop: () => server.close() });
    atMost('webhook through serve --state FILE (20 000 records): p99 latency', result.p99, 'ms', 50);
    atMost('webhook through serve --state FILE: non-2xx responses', result.non2xx, 'responses', 0, '0');
  } finally {
    await server.close();
  }
}

/** The CLI as a whole process: `node bin/stackcheck.js …`, a warm-up then 5 timed runs. */
async function cliRuns(args: string[], env: NodeJS.ProcessEnv): Promise<{ wall: number; rss: number }> {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < 6; i++) {
    const t0 = process.hrtime.bigint();
    const { err } = await runChild(
      ['--require', join(ROOT, 'bench/rss-reporter.js'), join(ROOT, 'bin/stackcheck.js'), ...args],
      env,
    ).catch((e: Error) => {
      throw new Error(`the CLI failed: ${e.message}`);
    });
    // The warm-up (i = 0) is not counted: it also writes the bundle's code cache (bin/stackcheck.js).
    if (i === 0) continue;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rss = Math.max(rss, Number(/BENCH_MAXRSS_MB=([\d.]+)/.exec(err)?.[1] ?? 0));
  }
  return { wall: median(times), rss };
}

/** A bare `node -e 0`, timed as the CLI is: what any whole-process figure on this machine starts from. */
async function nodeFloor(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = process.hrtime.bigint();
    await runChild(['-e', '0'], process.env);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

async function cli() {
  const floor = await nodeFloor();
  report('node -e 0, whole process (median of 5): the floor under the CLI figures on this machine', floor, 'ms');
  const example = await cliRuns(['verify', '--snapshot', 'examples/healthy-snapshot.json', ...LAB_ARGS], process.env);
  atMost(
    `CLI, the bundled example (npm start): wall time, whole process (median of 5; ${round(example.wall - floor)} ms above node -e 0)`,
    example.wall,
    'ms',
    150,
  );
  report('CLI, the bundled example: peak RSS', example.rss, 'MB');
  const fakes = await startLabFakes();
  fakes.kube.cacheJson = true;
  try {
    const live = await cliRuns(
      ['verify', '--cluster', 'myeks', ...LAB_ARGS, '--skip', 'prometheus,grafana,heartbeat', '--format', 'json'],
      { ...process.env, ...fakes.env },
    );
    atMost('CLI, live run of the lab through the fakes: wall time, whole process (median of 5)', live.wall, 'ms', 500);
    atMost('CLI, live run of the lab: peak RSS', live.rss, 'MB', 100);
  } finally {
    await fakes.stop();
  }
}

function buildCli() {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-cli.js')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI bundles failed: ${r.stderr}`);
}

/** The parts, in order; `npm run bench -- 500 cli` runs only those named. */
const PARTS = ['lab', '500', '5000', 'load', 'webhook', 'cli'] as const;

async function main() {
  const started = Date.now();
  const only = process.argv.slice(2);
  const bad = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (bad.length) throw new Error(`unknown part ${bad.join(', ')} (parts: ${PARTS.join(', ')})`);
  const want = (p: (typeof PARTS)[number]) => only.length === 0 || only.includes(p);
  buildCli();
  const bundles = await bundleFunctions();
  // The webhook and the CLI first, while this process's heap is small: the 5 000-node fixtures
  // and fakes leave a big heap behind them whose collection would land on whichever server (the
  // webhook's, or the fakes a live CLI run reads) runs next. Their rows are printed in their place.
  if (want('webhook')) {
    await webhookCpu();
    await webhookServe();
    await webhookFileState();
  }
  const webhookRows = rows.splice(0);
  if (want('cli')) await cli();
  const cliRows = rows.splice(0);
  if (want('lab')) await lab(bundles.verify);
  if (want('500')) await nodes500(bundles.verify);
  if (want('5000')) await nodes5000(bundles.verify);
  if (costs.lab) cost('the lab (3 nodes)', costs.lab);
  if (costs.large) cost('5 000 nodes', costs.large);
  if (want('load')) await coldStart(bundles);
  rows.push(...webhookRows, ...cliRows);

  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const doc = { date: new Date().toISOString(), machine, durationS: Math.round((Date.now() - started) / 1000), rows };
  writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  const w = Math.max(...rows.map((r) => r.metric.length));
  const g = Math.max(...rows.map((r) => r.goal.length));
  const out = process.stdout;
  out.write(`stackcheck bench — ${doc.date} — ${machine}\n\n`);
  out.write(`${'metric'.padEnd(w)}  ${'value'.padStart(10)}  ${'unit'.padEnd(9)}  ${'goal'.padEnd(g)}  met  margin\n`);
  for (const r of rows)
    out.write(
      `${r.metric.padEnd(w)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(9)}  ${r.goal.padEnd(g)}  ${(r.met === null ? '-' : r.met ? 'yes' : 'NO').padEnd(3)}  ${r.margin}\n`,
    );
  out.write(`\n${profileLines.join('\n')}\n`);
  const missed = rows.filter((r) => r.met === false);
  out.write(
    `\n${missed.length === 0 ? 'every goal met' : `${missed.length} goal(s) MISSED: ${missed.map((r) => r.metric).join('; ')}`} — bench/results.json written, ${doc.durationS} s\n`,
  );
  // Markdown for the README.
  out.write(
    `\n| metric | value | goal | met | margin |\n|---|---:|---|---|---|\n${rows.map((r) => `| ${r.metric} | ${r.value} ${r.unit} | ${r.goal} | ${r.met === null ? '–' : r.met ? 'yes' : '**no**'} | ${r.margin} |`).join('\n')}\n`,
  );
  return missed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
