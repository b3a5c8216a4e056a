/**
 * The webhook behind the real Alertmanager (Debian's binary, alerts posted to its API), in the
 * cases the end-to-end test does not reach: a Watchdog grouped with other alerts, and one
 * destination failing for longer than the deduplication window while Alertmanager keeps retrying,
 * and `stackcheck serve --state FILE` stopped with SIGTERM while a post is in flight.
 * Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../lib/cli/serve';
import { MemoryStore } from '../../lib/state/memory';
import type { FakeAws } from '../support/fakes/aws';
import type { SlackCapture } from '../support/fakes/slack';
import { freePort, startAlertmanager, waitFor, type Peer } from '../support/peers/binaries';
import { startWebhookRig, webhookReceiver, type WebhookRig } from '../support/peers/webhook';

const TOKEN = 'am-faults-token-5b2e';
/*
 * Shorter than the time Alertmanager keeps retrying a failed notification (see the outage test),
 * longer than the longest wait between two of its attempts: its backoff grows within a flush,
 * which lasts at least 10 s whatever the group_interval.
 */
const DEDUP_WINDOW_SECONDS = 12;

let slack: SlackCapture;
let aws: FakeAws;
let serve: RunningServer;
let am: Peer;
let rig: WebhookRig | undefined;
/** The receiver's log entries, with the time each was written. */
const events: Array<Record<string, unknown> & { t: number }> = [];

async function postAlerts(
  alerts: Array<{ labels: Record<string, string>; endsAt?: string }>,
  to: Peer = am,
): Promise<void> {
  const r = await fetch(`${to.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts.map((a) => ({ annotations: { summary: `${a.labels.alertname} summary` }, ...a }))),
  });
  expect(r.status).toBe(200);
}

const snsOf = (alertname: string) => aws.published().filter((m) => m.attributes.alertname === alertname);

beforeAll(async () => {
  rig = await startWebhookRig({
    token: TOKEN,
    store: new MemoryStore(),
    dedupWindowSeconds: DEDUP_WINDOW_SECONDS,
    log: (e) => events.push({ ...e, t: Date.now() }),
  });
  ({ slack, aws, serve } = rig);
  am = await startAlertmanager(`
route:
  receiver: stackcheck
  group_by: [alertname, cluster]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
  - receiver: stackcheck
    matchers: [ 'cluster="shared"' ]
    group_by: [cluster]
receivers:
${webhookReceiver('stackcheck', serve.url, TOKEN)}`);
}, 60_000);

afterAll(async () => {
  await am?.stop();
  await rig?.stop();
});

describe('webhook behind the real Alertmanager: faults and odd groups', () => {
  it('a Watchdog grouped with another alert does not make that alert’s resolution a firing notification', async () => {
    const disk = { alertname: 'SharedDiskFull', cluster: 'shared', severity: 'critical' };
    await postAlerts([{ labels: { alertname: 'Watchdog', cluster: 'shared', severity: 'none' } }, { labels: disk }]);
    await waitFor('the firing post', () => slack.find('[FIRING:1] SharedDiskFull (shared)')[0], 30_000);
    await postAlerts([{ labels: disk, endsAt: new Date().toISOString() }]);
    // Alertmanager sends the group (Watchdog still firing, the disk alert resolved) with status "firing".
    const posts = await waitFor(
      'the second post of the group',
      () => {
        const found = slack.find('SharedDiskFull (shared)');
        return found.length >= 2 ? found : undefined;
      },
      30_000,
    );
    expect(posts.map((p) => p.body.text)).toEqual([
      '[FIRING:1] SharedDiskFull (shared)',
      '[RESOLVED:1] SharedDiskFull (shared)',
    ]);
    expect(posts[1].body.attachments?.[0].color).toBe('#1a7f37');
    const sns = await waitFor('the second SNS publish', () => {
      const found = snsOf('SharedDiskFull');
      return found.length >= 2 ? found : undefined;
    });
    expect(sns.map((m) => [m.attributes.status, m.subject])).toEqual([
      ['firing', '[FIRING:1] SharedDiskFull (shared)'],
      ['resolved', '[RESOLVED:1] SharedDiskFull (shared)'],
    ]);
    // The heartbeat of the cluster was recorded all the same.
    expect((await serve.store.get('heartbeat#shared'))?.value).toMatchObject({ receiver: 'stackcheck' });
  }, 70_000);

  it('a Slack outage longer than the window: Alertmanager retries all along, SNS is published once', async () => {
    slack.failNext('LongOutage', Number.MAX_SAFE_INTEGER, 503);
    await postAlerts([{ labels: { alertname: 'LongOutage', cluster: 'myeks', severity: 'critical' } }]);
    // Alertmanager re-sends a failed notification at every group_interval until it succeeds: wait
    // until its retries have gone on for several windows.
    const notes = () => events.filter((e) => e.alertname === 'LongOutage');
    await waitFor(
      'Alertmanager retries spanning two windows',
      () => {
        const n = notes();
        return n.length > 1 && n[n.length - 1].t - n[0].t > 2 * DEDUP_WINDOW_SECONDS * 1000 ? true : undefined;
      },
      90_000,
    );
    // (`busy`: an attempt Alertmanager gave up on at the end of a flush was still being answered.)
    expect(notes().filter((e) => !['failed', 'busy'].includes((e.outcomes as Record<string, string>).slack))).toEqual(
      [],
    );
    expect(snsOf('LongOutage')).toHaveLength(1);
    // Slack recovers: the retry posts it there, and SNS still has it once.
    slack.failNext('LongOutage', 0);
    await waitFor('the Slack post after the outage', () => slack.find('[FIRING:1] LongOutage')[0], 60_000);
    const last = await waitFor('the answer that ended the outage', () =>
      notes().find((e) => (e.outcomes as Record<string, string>).slack === 'sent'),
    );
    expect(last.outcomes).toEqual({ slack: 'sent', sns: 'duplicate' });
    expect(snsOf('LongOutage')).toHaveLength(1);
    expect(slack.find('LongOutage')).toHaveLength(1);
  }, 150_000);
});

/** `stackcheck serve` as users run it (the built CLI), on `port`, with `--state FILE`. */
async function serveProcess(port: number, state: string): Promise<ChildProcess> {
  const proc = spawn(
    process.execPath,
    [join(__dirname, '../../bin/stackcheck.js'), 'serve', '--port', String(port), '--state', state],
    {
      env: { ...process.env, ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: slack.url, STACKCHECK_CLUSTER: 'myeks' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  await new Promise<void>((resolve, reject) => {
    proc.stderr!.on('data', (d) => {
      err += d;
      if (err.includes('listening on')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return proc;
}

describe('serve --state FILE stopped with SIGTERM while Slack has not answered yet', () => {
  let am2: Peer | undefined;
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    slack.release();
    await am2?.stop();
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });

  it('finishes the delivery before exiting: Alertmanager gets its answer, nothing is posted twice', async () => {
    const port = await freePort();
    const state = join(mkdtempSync(join(tmpdir(), 'stackcheck-am-faults-')), 'state.json');
    const first = await serveProcess(port, state);
    procs.push(first);
    am2 = await startAlertmanager(`
route:
  receiver: stackcheck
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
- name: stackcheck
  webhook_configs:
  - url: http://127.0.0.1:${port}/alertmanager
    http_config:
      authorization: { type: Bearer, credentials: ${TOKEN} }
`);
    slack.hold();
    await postAlerts([{ labels: { alertname: 'SigtermMidPost', cluster: 'myeks', severity: 'critical' } }], am2);
    await waitFor('Slack to have the post (its answer held)', () => slack.find('SigtermMidPost')[0], 30_000);
    const exited = new Promise<number | null>((r) => first.once('exit', (code) => r(code)));
    first.kill('SIGTERM');
    await waitFor('serve to stop taking connections', () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => undefined,
        () => true,
      ),
    );
    slack.release();
    expect(await exited).toBe(0);
    // Restarted on the same state file, as a supervisor would: Alertmanager's retries (if any) reach it.
    procs.push(await serveProcess(port, state));
    await waitFor('Alertmanager to have delivered the notification', () => /Notify success/.test(am2!.log()), 120_000);
    expect(slack.find('SigtermMidPost')).toHaveLength(1);
  }, 180_000);
});
