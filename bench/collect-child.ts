/** Child process for the scale benchmark: one live collection + checks, prints time and peak RSS. */
import { allChecks } from '../lib/checks';
import { runChecks } from '../lib/checks/run';
import { FAMILIES } from '../lib/checks/types';
import { collectLive } from '../lib/collect';
import { LAB_CERT_ARN, labExpected } from '../test/support/factories/expected';

async function main() {
  const t0 = Date.now();
  const s = await collectLive(
    { mode: 'eks', cluster: 'myeks', region: 'ap-northeast-2' },
    {
      namespace: 'monitoring',
      release: 'kube-prometheus-stack',
      albGroupName: 'study',
      loadBalancerName: 'myeks-ingress-alb',
      certificateArns: [LAB_CERT_ARN],
    },
    { families: FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f)) },
  );
  const results = runChecks(allChecks, labExpected(), s);
  const wallMs = Date.now() - t0;
  const calls = Object.values(s.stats?.apiCalls ?? {}).reduce((a, b) => a + b, 0);
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
    process.stderr.write(String(err));
    process.exit(1);
  },
);
