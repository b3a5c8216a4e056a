/**
 * The webhook against the real thing: Debian's Prometheus (with an always-firing Watchdog rule and
 * rules the test makes fire and resolve) and Alertmanager routing to `stackcheck serve`'s handler,
 * a Slack capture server and the SNS fake. Loopback only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../../lib/cli/serve';
import { MemoryStore } from '../../lib/state/memory';
import type { FakeAws } from '../support/fakes/aws';
import type { SlackCapture } from '../support/fakes/slack';
import { startAlertmanager, startPrometheus, waitFor, type Peer } from '../support/peers/binaries';
import { startWebhookRig, WEBHOOK_TOPIC as TOPIC, webhookReceiver, type WebhookRig } from '../support/peers/webhook';

const TOKEN = 'e2e-bearer-token-0c4f';

let slack: SlackCapture;
let aws: FakeAws;
let serve: RunningServer;
let am: Peer;
let prom: Peer;
const serveLog: string[] = [];
/** The receiver's own log entries (one per notification, with what each destination got). */
const events: Array<Record<string, unknown>> = [];
/*
 * The deduplication window is 4 s here (default 300 s): shorter than the RepeatAlert route's
 * repeat_interval of 6 s, so each reminder is a fresh delivery, and longer than the wait between
 * Alertmanager's first attempt and its retry (its backoff starts at 0.5 s ± 50 %), so the retry of
 * a notification that failed only at Slack does not post it to SNS twice.
 */
const DEDUP_WINDOW_SECONDS = 4;
const store = new MemoryStore();
let rig: WebhookRig | undefined;

function rules(alerts: string[]): string {
  const rule = (name: string, severity: string) =>
    `  - alert: ${name}\n    expr: vector(1)\n    labels: { severity: ${severity}, cluster: myeks, namespace: monitoring }\n    annotations: { summary: "${name} summary", description: "${name} is firing in the e2e test" }\n`;
  return `groups:\n- name: e2e\n  interval: 1s\n  rules:\n${rule('Watchdog', 'none')}${alerts.map((a) => rule(a, a === 'BadTokenAlert' ? 'info' : 'critical')).join('')}`;
}

async function setRules(alerts: string[]): Promise<void> {
  writeFileSync(join(prom.dir, 'rules.yml'), rules(alerts));
  const r = await fetch(`${prom.url}/-/reload`, { method: 'POST' });
  expect(r.ok).toBe(true);
}

beforeAll(async () => {
  rig = await startWebhookRig({
    token: TOKEN,
    store: store,
    dedupWindowSeconds: DEDUP_WINDOW_SECONDS,
    log: (e) => events.push(e),
    serveLog: (l) => serveLog.push(l),
  });
  ({ slack, aws, serve } = rig);
  am = await startAlertmanager(`
route:
  receiver: stackcheck
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
  - receiver: wrong-token
    matchers: [ 'alertname="BadTokenAlert"' ]
  - receiver: stackcheck
    matchers: [ 'alertname="RepeatAlert"' ]
    group_wait: 1s
    group_interval: 1s
    repeat_interval: 6s
receivers:
${webhookReceiver('stackcheck', serve.url, TOKEN)}${webhookReceiver('wrong-token', serve.url, 'not-the-token')}`);
  prom = await startPrometheus(
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: [rules.yml]\nalerting:\n  alertmanagers:\n  - static_configs: [ { targets: ['127.0.0.1:${am.port}'] } ]\n`,
    { 'rules.yml': rules(['E2EFiring', 'BadTokenAlert']) },
    // The first notification can go out before the Alertmanager is discovered; resend soon, not after 1m.
    ['--rules.alert.resend-delay=1s'],
  );
}, 60_000);

afterAll(async () => {
  if (process.env.E2E_DEBUG)
    console.log(
      serveLog.join('\n'),
      '\n---AM---\n',
      am?.log().slice(-1500),
      '\n---PROM---\n',
      prom?.log().slice(-3000),
    );
  await Promise.all([prom?.stop(), am?.stop()]);
  await rig?.stop();
});

describe('webhook end to end with real Prometheus and Alertmanager', () => {
  it('forwards the firing notification to Slack and SNS with the right content', async () => {
    const post = await waitFor('the firing Slack post', () => slack.find('[FIRING:1] E2EFiring')[0], 30_000);
    expect(post.body.text).toBe('[FIRING:1] E2EFiring (myeks)');
    const text = JSON.stringify(post.body.attachments);
    expect(text).toContain('E2EFiring summary');
    expect(text).toContain('silences/new?filter=');
    expect(post.body.attachments?.[0].color).toBe('#d1242f');
    const sns = await waitFor('the SNS publish', () =>
      aws.published().find((m) => m.attributes.alertname === 'E2EFiring'),
    );
    expect(sns).toMatchObject({
      topicArn: TOPIC,
      subject: '[FIRING:1] E2EFiring (myeks)',
      attributes: { severity: 'critical', status: 'firing', alertname: 'E2EFiring', cluster: 'myeks' },
    });
    expect(JSON.parse(sns.message).alerts[0].labels.alertname).toBe('E2EFiring');
  }, 40_000);

  it('records Watchdog as the heartbeat and never forwards it', async () => {
    const hb = await waitFor(
      'the heartbeat record',
      async () => (await store.get<{ lastSeenAt: string }>('heartbeat#myeks'))?.value,
      30_000,
    );
    expect(Date.now() - Date.parse(hb.lastSeenAt)).toBeLessThan(60_000);
    expect(slack.find('Watchdog')).toEqual([]);
    expect(aws.published().filter((m) => m.attributes.alertname === 'Watchdog')).toEqual([]);
  }, 40_000);

  it('refuses a wrong token with 401: Alertmanager counts the failure and nothing is forwarded', async () => {
    await waitFor('a 401 in the serve log', () => serveLog.some((l) => / 401 /.test(l)) || undefined, 30_000);
    const failed = await waitFor('Alertmanager failure metric', async () => {
      const text = await (await fetch(`${am.url}/metrics`)).text();
      const m = /alertmanager_notifications_failed_total\{[^}]*integration="webhook"[^}]*\} (\d+)/.exec(text);
      return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
    });
    expect(failed).toBeGreaterThan(0);
    expect(slack.find('BadTokenAlert')).toEqual([]);
    expect(aws.published().filter((m) => m.attributes.alertname === 'BadTokenAlert')).toEqual([]);
  }, 40_000);

  it('posts every repeat_interval reminder of a continuously firing alert', async () => {
    await setRules(['E2EFiring', 'BadTokenAlert', 'RepeatAlert']);
    const posts = await waitFor(
      'three Slack posts of RepeatAlert (one per repeat_interval of 6 s)',
      () => {
        const found = slack.find('[FIRING:1] RepeatAlert');
        return found.length >= 3 ? found : undefined;
      },
      60_000,
    );
    // Every notification Alertmanager sent for it was delivered, none swallowed as a duplicate.
    const notes = events.filter((e) => e.alertname === 'RepeatAlert' && e.status === 'firing');
    expect(notes.length).toBeGreaterThanOrEqual(posts.length);
    expect(notes.map((e) => e.outcomes)).toEqual(notes.map(() => ({ slack: 'sent', sns: 'sent' })));
    expect(
      aws.published().filter((m) => m.attributes.alertname === 'RepeatAlert' && m.attributes.status === 'firing')
        .length,
    ).toBeGreaterThanOrEqual(3);
  }, 70_000);

  it('forwards the resolved notification when the alert stops firing', async () => {
    await setRules(['BadTokenAlert']);
    const post = await waitFor('the resolved Slack post', () => slack.find('[RESOLVED:1] E2EFiring')[0], 30_000);
    expect(post.body.attachments?.[0].color).toBe('#1a7f37');
    await waitFor('the resolved SNS publish', () =>
      aws.published().find((m) => m.attributes.alertname === 'E2EFiring' && m.attributes.status === 'resolved'),
    );
  }, 40_000);

  it('answers 5xx during a Slack outage, and Alertmanager’s retry then posts exactly once', async () => {
    // Slack fails every attempt of the receiver's first try (3 attempts), then recovers.
    slack.failNext('OutageAlert', 3, 503);
    await setRules(['BadTokenAlert', 'OutageAlert']);
    await waitFor('a 502 from the receiver', () => serveLog.some((l) => / 502 /.test(l)) || undefined, 30_000);
    await waitFor('the Slack post after the outage', () => slack.find('[FIRING:1] OutageAlert')[0], 40_000);
    // Give Alertmanager time to retry anything it still considers pending.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(slack.find('[FIRING:1] OutageAlert')).toHaveLength(1);
    const notes = events.filter((e) => e.alertname === 'OutageAlert' && e.status === 'firing');
    expect(notes.map((e) => e.outcomes)).toEqual([
      { slack: 'failed', sns: 'sent' },
      { slack: 'sent', sns: 'duplicate' },
    ]);
    expect(
      aws.published().filter((m) => m.attributes.alertname === 'OutageAlert' && m.attributes.status === 'firing'),
    ).toHaveLength(1);
  }, 60_000);

  it('never logged a secret', () => {
    const all = serveLog.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('test-secret-slack-path');
  });
});
