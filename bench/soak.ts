/**
 * `npm run soak` (not in CI): 2 000 verify runs and 20 000 webhook requests on loopback with
 * random faults injected. Reports runs completed, notifications lost and duplicated (goal 0),
 * and memory over time (goal: flat, no leak). Run with --expose-gc (as `npm run soak` does), each
 * sample is taken after a full collection, so the heap figures show what is retained, not garbage
 * that V8 has not collected yet; RSS (which V8 and the allocator grow lazily) is reported beside.
 */
import { planFor } from '../lib/verify/plan';
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
const gc = (globalThis as { gc?: () => void }).gc;
interface Memory {
  rssMb: number[];
  heapMb: number[];
}
/** Memory after a full GC (when --expose-gc): RSS and the heap in use. */
function sample(into: Memory): string {
  gc?.();
  const m = process.memoryUsage();
  into.rssMb.push(Math.round(m.rss / 1024 / 1024));
  into.heapMb.push(Math.round(m.heapUsed / 1024 / 1024));
  return `RSS ${into.rssMb.at(-1)} MB, heap ${into.heapMb.at(-1)} MB`;
}

async function soakVerify() {
  const lab = await startLabFakes();
  const restore = useEnv(lab.env);
  const slack = new SlackCapture();
  await slack.start();
  const store = new MemoryStore();
  const memory: Memory = { rssMb: [], heapMb: [] };
  let posted = 0; // Slack posts seen (the capture's log is emptied at each sample)
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
      inputs: planFor(FAMS).inputs,
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
    if (i % 100 === 0) {
      posted += slack.posts.splice(0).length;
      process.stderr.write(`soak: verify run ${i}/${VERIFY_RUNS}, ${changes} reports sent, ${sample(memory)}\n`);
    }
  }
  // Whatever state the last run left, it must have been delivered (retried until Slack took it).
  slack.status = 200;
  lab.aws.faults.clear();
  const s = await collectLive({ mode: 'eks', cluster: 'myeks', region: 'ap-northeast-2' }, HINTS, {
    inputs: planFor(FAMS).inputs,
  });
  const final = buildReport({
    cluster: 'myeks',
    startedAt: new Date(),
    finishedAt: new Date(),
    results: runChecks(allChecks, labExpected(), s),
  });
  const out = await notify(final, 'on-change', { store, slack: (m) => postToSlack(slack.url, m) });
  if (out.sent) lastDeliveredState = failingOf(final).map(resultKey).sort().join('|');
  const lost = lastDeliveredState === failingOf(final).map(resultKey).sort().join('|') ? 0 : 1;
  posted += slack.posts.splice(0).length;
  const duplicates = posted - changes - (out.sent ? 1 : 0);
  restore();
  await slack.stop();
  await lab.stop();
  return { runs: completed, reportsSent: posted, lost, duplicates, memory };
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
  const store = new MemoryStore();
  const server = await startServer({
    port: 0,
    store,
    env: { ALERTMANAGER_TOKEN: 'soak', SLACK_WEBHOOK_URL: slack.url },
    log: () => {},
  });
  const memory: Memory = { rssMb: [], heapMb: [] };
  let delivered = 0; // Slack posts seen (the capture's log is emptied at each sample)
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
    if (i % 1000 === 0) {
      delivered += slack.posts.splice(0).length;
      process.stderr.write(
        `soak: webhook notification ${i}/${notifications}, ${store.size} delivery records, ${sample(memory)}\n`,
      );
    }
  }
  delivered += slack.posts.splice(0).length;
  const deliveryRecords = store.size;
  await server.close();
  await slack.stop();
  return {
    requests,
    notifications,
    delivered,
    lost: Math.max(0, notifications - delivered),
    duplicates: Math.max(0, delivered - notifications),
    deliveryRecords,
    memory,
  };
}

async function main() {
  const t0 = Date.now();
  const verify = await soakVerify();
  const webhook = await soakWebhook();
  // No leak: after a full GC the heap in use does not grow from the second sample (the first is
  // before the clients' first calls) to the last. Without --expose-gc only RSS is there, looser.
  const grows = (m: Memory) => (gc ? m.heapMb.at(-1)! - m.heapMb[1] : m.rssMb.at(-1)! - m.rssMb[1]);
  const limitMb = gc ? 10 : 40;
  const verifyFlat = verify.memory.heapMb.length < 3 || grows(verify.memory) < limitMb;
  const webhookFlat = webhook.memory.heapMb.length < 3 || grows(webhook.memory) < limitMb;
  process.stdout.write(
    `${JSON.stringify(
      {
        verify,
        webhook,
        seconds: Math.round((Date.now() - t0) / 1000),
        measuredAfterGc: !!gc,
        memoryFlat: { verify: verifyFlat, webhook: webhookFlat },
      },
      null,
      2,
    )}\n`,
  );
  const ok =
    verify.lost === 0 &&
    verify.duplicates === 0 &&
    webhook.lost === 0 &&
    webhook.duplicates === 0 &&
    verifyFlat &&
    webhookFlat;
  process.exit(ok ? 0 : 1);
}
main();
