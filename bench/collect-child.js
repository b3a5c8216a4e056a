// Child process for the benchmark: live collection + checks from the compiled dist/ (as the CLI
// runs them), against the fakes that run in the parent process, so their CPU is not counted here.
//   node bench/collect-child.js scale     one cold run: wall time, API calls, peak RSS
//   node bench/collect-child.js latency   a warm-up, 5 timed runs, then one run a call at a time
'use strict';
const { join } = require('node:path');
const dist = join(__dirname, '..', 'dist', 'lib');
const { collectLive } = require(join(dist, 'collect', 'index.js'));
const { allChecks } = require(join(dist, 'checks', 'index.js'));
const { runChecks } = require(join(dist, 'checks', 'run.js'));
const { FAMILIES } = require(join(dist, 'checks', 'types.js'));
const { loadUserValues } = require(join(dist, 'spec', 'values.js'));
const { buildExpected } = require(join(dist, 'spec', 'expected.js'));

const CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const TARGET = { mode: 'eks', cluster: 'myeks', region: 'ap-northeast-2' };
const HINTS = {
  namespace: 'monitoring',
  release: 'kube-prometheus-stack',
  albGroupName: 'study',
  loadBalancerName: 'myeks-ingress-alb',
  certificateArns: [CERT],
};
const FAMS = FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f));

async function run(expected, concurrency) {
  const t0 = Date.now();
  const s = await collectLive(TARGET, HINTS, { families: FAMS, ...(concurrency ? { concurrency } : {}) });
  const results = runChecks(allChecks, expected, s);
  if (s.errors.length) throw new Error(`collection errors: ${JSON.stringify(s.errors)}`);
  return {
    wallMs: Date.now() - t0,
    calls: Object.values(s.stats.apiCalls).reduce((a, b) => a + b, 0),
    results: results.length,
    nodes: s.kubernetes.nodes.length,
    pods: s.kubernetes.pods.length,
  };
}

async function main() {
  const mode = process.argv[2] ?? 'scale';
  const user = loadUserValues({
    valuesFiles: [join(__dirname, '..', 'examples', 'monitor-values.yaml')],
    sets: ['prometheus.prometheusSpec.scrapeInterval=15s', 'prometheus.prometheusSpec.evaluationInterval=15s'],
    env: { MyDomain: 'example.com', CERT_ARN: CERT },
  });
  const expected = buildExpected(user);
  let out;
  if (mode === 'latency') {
    await run(expected); // warm-up: the SDK clients' first-call setup
    const times = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await run(expected);
      times.push(last.wallMs);
    }
    const sequential = await run(expected, 1);
    out = { ...last, times, sequentialMs: sequential.wallMs };
  } else {
    out = await run(expected);
  }
  process.stdout.write(JSON.stringify({ ...out, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}
main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err));
    process.exit(1);
  },
);
