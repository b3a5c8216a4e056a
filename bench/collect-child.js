// Child process for the benchmark: live collection + checks from the compiled dist/ (as the CLI
// runs them), against the fakes that run in the parent process, so their CPU is not counted here.
//   node bench/collect-child.js scale     one cold run: wall time, API calls, peak RSS
//   node bench/collect-child.js latency   a warm-up, 5 timed runs, then one run a call at a time
'use strict';
const { join } = require('node:path');
const dist = join(__dirname, '..', 'dist', 'lib');
const { verify, parseVerifyRequest } = require(join(dist, 'verify', 'index.js'));
const { openLiveSession } = require(join(dist, 'collect', 'index.js'));

const CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

/** The same job the CLI and the Lambda run (lib/verify), on the lab's values. */
async function run(concurrency) {
  const request = parseVerifyRequest({
    cluster: 'myeks',
    region: 'ap-northeast-2',
    values: [join(__dirname, '..', 'examples', 'monitor-values.yaml')],
    sets: ['prometheus.prometheusSpec.scrapeInterval=15s', 'prometheus.prometheusSpec.evaluationInterval=15s'],
    env: { MyDomain: 'example.com', CERT_ARN: CERT },
    skip: ['prometheus', 'grafana', 'heartbeat'],
  });
  const t0 = Date.now();
  const { snapshot: s, report } = await verify(request, {
    openSession: (target, opts) => openLiveSession(target, { ...opts, ...(concurrency ? { concurrency } : {}) }),
  });
  if (s.errors.length) throw new Error(`collection errors: ${JSON.stringify(s.errors)}`);
  return {
    wallMs: Date.now() - t0,
    calls: Object.values(s.stats.apiCalls).reduce((a, b) => a + b, 0),
    results: report.results.length,
    nodes: s.kubernetes.nodes.length,
    pods: s.kubernetes.pods.length,
  };
}

async function main() {
  const mode = process.argv[2] ?? 'scale';
  let out;
  if (mode === 'latency') {
    await run(); // warm-up: the SDK clients' first-call setup
    const times = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await run();
      times.push(last.wallMs);
    }
    const sequential = await run(1);
    out = { ...last, times, sequentialMs: sequential.wallMs };
  } else {
    out = await run();
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
