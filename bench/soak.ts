/**
 * `npm run soak` (not in CI): 2 000 verify runs and 20 000 webhook requests on loopback with
 * random faults injected. Reports runs completed, notifications lost and duplicated (goal 0),
 * and RSS over time (goal: flat, no leak).
 */
import { request } from 'node:http';
import { allChecks } from '../lib/checks';
import { runChecks } from '../lib/checks/run';
import { FAMILIES } from '../lib/checks/types';
import { collectLive } from '../lib/collect';
import { startServer } from '../lib/cli/serve';
import { postToSlack } from '../lib/adapters/slack';
import { notify } from '../lib/notify';
import { resultKey, failingOf } from '../lib/notify/change';
import { buildReport } from '../lib/report/build';
import { MemoryStore } from '../lib/state/memory';
import { forwardAction, redirectAction } from '../test/support/factories/aws';
import { labExpected } from '../test/support/factories/expected';
import { LAB_TG_GRAFANA_ARN } from '../test/support/factories/k8s';
import { LAB_HINTS, startLabFakes, useEnv } from '../test/support/fakes/lab';
import { SlackCapture } from '../test/support/fakes/slack';
import { amPayload } from '../test/unit/alertmanager/payloads';

const VERIFY_RUNS = Number(process.env.SOAK_VERIFY_RUNS ?? 2000);
const WEBHOOK_REQUESTS = Number(process.env.SOAK_WEBHOOK_REQUESTS ?? 20000);
const HINTS = LAB_HINTS;
const FAMS = FAMILIES.filter((f) => !['prometheus', 'grafana', 'heartbeat'].includes(f));
const mb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

async function soakVerify() {
  const lab = await startLabFakes();
  const restore = useEnv(lab.env);
  const slack = new SlackCapture();
  await slack.start();
  const store = new MemoryStore();
  const rss: number[] = [];
  let completed = 0;
  let changes = 0;
  let lastDeliveredState = '';
  const faultCalls = ['DescribeRules', 'DescribeTargetHealth', 'DescribeCertificate', 'DescribeListeners'];
  for (let i = 0; i < VERIFY_RUNS; i++) {
    // Drift comes and goes; faults and Slack outages strike at random.
    if (Math.random() < 0.05) {
      const l = lab.aws.state.listeners.find((x) => x.Port === 80)!;
      l.DefaultActions =
        l.DefaultActions?.[0]?.Type === 'redirect' ? [forwardAction(LAB_TG_GRAFANA_ARN)] : [redirectAction()];
    }
    lab.aws.faults.clear();
    if (Math.random() < 0.1)
      lab.aws.faults.set(
        faultCalls[i % faultCalls.length],
        Math.random() < 0.5 ? { kind: 'error500' } : { kind: 'accessDenied' },
      );
    slack.status = Math.random() < 0.1 ? 503 : 200;
    const s = await collectLive({ mode: 'eks', cluster: 'myeks', region: 'ap-northeast-2' }, HINTS, {
      families: FAMS,
      callTimeoutMs: 1_000,
    });
    const results = runChecks(allChecks, labExpected(), s);
    const report = buildReport({ cluster: 'myeks', startedAt: new Date(), finishedAt: new Date(), results });
    const out = await notify(report, 'on-change', {
      store,
      slack: (m) => postToSlack(slack.url, m, { sleep: async () => {} }),
    });
    if (out.sent) {
      changes += 1;
      lastDeliveredState = failingOf(report).map(resultKey).sort().join('|');
    }
    completed += 1;
    // The fakes keep call logs for tests; drop them so RSS shows stackcheck, not the fakes' logs.
    lab.aws.calls.length = 0;
    lab.kube.requests.length = 0;
    if (i % 100 === 0) rss.push(mb());
  }
  // Whatever state the last run left, it must have been delivered (retried until Slack took it).
  slack.status = 200;
  lab.aws.faults.clear();
  const s = await collectLive({ mode: 'eks', cluster: 'myeks', region: 'ap-northeast-2' }, HINTS, { families: FAMS });
  const final = buildReport({
    cluster: 'myeks',
    startedAt: new Date(),
    finishedAt: new Date(),
    results: runChecks(allChecks, labExpected(), s),
  });
  const out = await notify(final, 'on-change', { store, slack: (m) => postToSlack(slack.url, m) });
  if (out.sent) lastDeliveredState = failingOf(final).map(resultKey).sort().join('|');
  const lost = lastDeliveredState === failingOf(final).map(resultKey).sort().join('|') ? 0 : 1;
  const duplicates = slack.posts.length - changes - (out.sent ? 1 : 0);
  restore();
  await slack.stop();
  await lab.stop();
  return { runs: completed, reportsSent: slack.posts.length, lost, duplicates, rssMb: rss };
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: 'Bearer soak', 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function soakWebhook() {
  const slack = new SlackCapture();
  await slack.start();
  const server = await startServer({
    port: 0,
    store: new MemoryStore(),
    env: { ALERTMANAGER_TOKEN: 'soak', SLACK_WEBHOOK_URL: slack.url },
    log: () => {},
  });
  const rss: number[] = [];
  let requests = 0;
  const notifications = WEBHOOK_REQUESTS / 2;
  for (let i = 0; i < notifications; i++) {
    const body = JSON.stringify(amPayload({ groupKey: `{}:{soak="${i}"}` }, [{ fingerprint: `f${i}` }]));
    // Like Alertmanager: retry until accepted; and sometimes send the same notification twice.
    slack.status = Math.random() < 0.05 ? 503 : 200;
    let status = 0;
    for (let attempt = 0; status !== 200 && attempt < 20; attempt++) {
      status = await post(`${server.url}/alertmanager`, body);
      requests += 1;
      if (status !== 200) slack.status = 200;
    }
    if (Math.random() < 0.5) {
      await post(`${server.url}/alertmanager`, body);
      requests += 1;
    }
    if (i % 1000 === 0) rss.push(mb());
  }
  const delivered = slack.posts.length;
  await server.close();
  await slack.stop();
  return {
    requests,
    notifications,
    delivered,
    lost: Math.max(0, notifications - delivered),
    duplicates: Math.max(0, delivered - notifications),
    rssMb: rss,
  };
}

async function main() {
  const t0 = Date.now();
  const verify = await soakVerify();
  const webhook = await soakWebhook();
  const flat = (xs: number[]) => xs.length < 3 || xs[xs.length - 1] - xs[1] < 40;
  process.stdout.write(
    `${JSON.stringify({ verify, webhook, seconds: Math.round((Date.now() - t0) / 1000), rssFlat: flat(verify.rssMb) && flat(webhook.rssMb) }, null, 2)}\n`,
  );
  const ok = verify.lost === 0 && verify.duplicates === 0 && webhook.lost === 0 && webhook.duplicates === 0;
  process.exit(ok ? 0 : 1);
}
main();
