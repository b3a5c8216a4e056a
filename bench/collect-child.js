// Child process for the scale benchmark: one live collection + checks from the compiled dist/
// (as the CLI runs), printing wall time, API calls and peak RSS.
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

async function main() {
  const user = loadUserValues({
    valuesFiles: [join(__dirname, '..', 'examples', 'monitor-values.yaml')],
    sets: ['prometheus.prometheusSpec.scrapeInterval=15s', 'prometheus.prometheusSpec.evaluationInterval=15s'],
    env: { MyDomain: 'example.com', CERT_ARN: CERT },
  });
  const expected = buildExpected(user);
  const t0 = Date.now();
  const s = await collectLive(
    { mode: 'eks', cluster: 'myeks', region: 'ap-northeast-2' },
    {
      namespace: 'monitoring',
      release: 'kube-prometheus-stack',
      albGroupName: 'study',
      loadBalancerName: 'myeks-ingress-alb',
      certificateArns: [CERT],
    },
    { families: FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f)) },
  );
  const results = runChecks(allChecks, expected, s);
  const wallMs = Date.now() - t0;
  const calls = Object.values(s.stats.apiCalls).reduce((a, b) => a + b, 0);
  process.stdout.write(
    JSON.stringify({
      wallMs,
      calls,
      errors: s.errors.length,
      results: results.length,
      nodes: s.kubernetes.nodes.length,
      pods: s.kubernetes.pods.length,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}
main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err));
    process.exit(1);
  },
);
