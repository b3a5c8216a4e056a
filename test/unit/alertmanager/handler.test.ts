import fc from 'fast-check';
import {
  SLACK_MAX_BLOCKS,
  groupSeverity,
  notificationKey,
  silenceUrl,
  slackMessage,
  snsMessage,
  snsSubject,
} from '../../../lib/alertmanager/format';
import {
  credentialMatches,
  handleWebhook,
  type WebhookDeps,
  type WebhookRequest,
} from '../../../lib/alertmanager/handler';
import { parseDedupWindow, webhookDepsFromEnv } from '../../../lib/alertmanager/config';
import { validatePayload } from '../../../lib/alertmanager/schema';
import { MemoryStore } from '../../../lib/state/memory';
import { amPayload } from './payloads';

const TOKEN = 'test-token-4f1d';
const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRET';

function setup(over: Partial<WebhookDeps> = {}) {
  const slack: Array<{ url: string; message: unknown }> = [];
  const sns: Array<{ subject: string; message: string; attributes: Record<string, string> }> = [];
  const deps: WebhookDeps = {
    store: new MemoryStore(),
    token: async () => TOKEN,
    slackUrl: () => SLACK,
    postSlack: async (url, message) => {
      slack.push({ url, message });
    },
    publishSns: async (m) => {
      sns.push(m);
    },
    defaultCluster: 'default',
    maxBodyBytes: 1024 * 1024,
    now: () => new Date('2026-11-24T10:00:00Z'),
    ...over,
  };
  return { deps, slack, sns };
}

type AnyDoc = {
  alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
  commonAnnotations: Record<string, string>;
};

function req(body: unknown, auth = `Bearer ${TOKEN}`, path = '/alertmanager'): WebhookRequest {
  return {
    method: 'POST',
    path,
    headers: { authorization: auth },
    body: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

describe('webhook: authentication', () => {
  it('accepts Bearer and Basic (password = token), in constant time', () => {
    expect(credentialMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(credentialMatches(`Basic ${Buffer.from(`am:${TOKEN}`).toString('base64')}`, TOKEN)).toBe(true);
    expect(credentialMatches('Bearer wrong', TOKEN)).toBe(false);
    expect(credentialMatches(undefined, TOKEN)).toBe(false);
    expect(credentialMatches(`Bearer ${TOKEN}`, '')).toBe(false);
  });
  it('follows a changed secret: the old one is refused, the new one accepted, and back', () => {
    expect(credentialMatches('Bearer first-secret', 'first-secret')).toBe(true);
    expect(credentialMatches('Bearer first-secret', 'second-secret')).toBe(false);
    expect(credentialMatches('Bearer second-secret', 'second-secret')).toBe(true);
    expect(credentialMatches('Bearer second-secret', 'first-secret')).toBe(false);
    expect(credentialMatches('Bearer first-secret', 'first-secret')).toBe(true);
  });
  it('answers 401 and forwards nothing without valid credentials', async () => {
    const { deps, slack } = setup();
    const r = await handleWebhook(req(amPayload(), 'Bearer nope'), deps);
    expect(r.statusCode).toBe(401);
    expect(slack).toEqual([]);
  });
});

describe('webhook: validation', () => {
  it.each([
    ['not JSON', '{"version":', /body is not JSON/],
    ['wrong version', amPayload({ version: '3' }), /version must be "4"/],
    ['missing groupKey', amPayload({ groupKey: undefined }), /groupKey must be a string/],
    [
      'alert without fingerprint',
      amPayload({}, [{ fingerprint: undefined }]),
      /alerts\[0\]\.fingerprint must be a string/,
    ],
    [
      'label not a string',
      amPayload({}, [{ labels: { alertname: 1 } as unknown as Record<string, string> }]),
      /alerts\[0\]\.labels\.alertname must be a string/,
    ],
    ['bad status', amPayload({ status: 'pending' }), /status must be "firing" or "resolved"/],
  ])('400 with the reason: %s', async (_n, body, reason) => {
    const { deps, slack } = setup();
    const r = await handleWebhook(req(body as never), deps);
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(reason);
    expect(slack).toEqual([]);
  });
  it.each([
    [{ groupKey: '' }, undefined, 'groupKey must not be empty'],
    [{ receiver: 1 }, undefined, 'receiver must be a string'],
    [{ commonLabels: [] }, undefined, 'commonLabels must be an object of strings'],
    [{ groupLabels: { a: null } }, undefined, 'groupLabels.a must be a string'],
    [{ externalURL: undefined }, undefined, 'externalURL must be a string'],
    [{}, 7, 'alerts[1] must be an object'],
    [{}, { status: 'pending' }, 'alerts[1].status must be "firing" or "resolved"'],
    [{}, { labels: 'x' }, 'alerts[1].labels must be an object of strings'],
    [{}, { annotations: { summary: 2 } }, 'alerts[1].annotations.summary must be a string'],
    [{}, { startsAt: 5 }, 'alerts[1].startsAt must be a string'],
    [{}, { startsAt: 'yesterday' }, 'alerts[1].startsAt must be an RFC 3339 time'],
    [{}, { endsAt: 1 }, 'alerts[1].endsAt must be a string'],
    [{}, { generatorURL: false }, 'alerts[1].generatorURL must be a string'],
    [{}, { fingerprint: '' }, 'alerts[1].fingerprint must not be empty'],
  ])('names the bad field by its path: %j %j', (over, second, message) => {
    const doc = amPayload(over, [{}, {}]) as { alerts: unknown[] };
    if (typeof second === 'object') doc.alerts[1] = { ...(doc.alerts[1] as object), ...second };
    else if (second !== undefined) doc.alerts[1] = second;
    // The whole message, exactly.
    expect(() => validatePayload(doc)).toThrow(new Error(message));
  });
  it.each([
    ['a label value', (d: AnyDoc) => (d.alerts[1].labels.pod = 'p-\ud800'), 'alerts[1].labels.pod'],
    ['a label name', (d: AnyDoc) => (d.alerts[0].labels['x\udc00'] = 'v'), 'the key of alerts[0].labels.x\udc00'],
    ['an annotation', (d: AnyDoc) => (d.commonAnnotations.summary = '\udbff!'), 'commonAnnotations.summary'],
  ])('400 naming the field for a lone surrogate escape in %s (it could not be forwarded)', async (_n, spoil, at) => {
    const { deps, slack, sns } = setup();
    const doc = amPayload({}, [{}, {}]) as unknown as AnyDoc;
    spoil(doc);
    // JSON.stringify writes a lone surrogate as the escape \udXXX, as a hand-made request would.
    const r = await handleWebhook(req(JSON.stringify(doc)), deps);
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toBe(
      `not an Alertmanager webhook payload: ${at} is not valid Unicode (a lone UTF-16 surrogate escape)`,
    );
    expect(slack).toEqual([]);
    expect(sns).toEqual([]);
  });
  it('forwards escaped surrogate pairs (emoji) and an escaped backslash before "ud800"', async () => {
    const { deps, slack } = setup();
    const doc = amPayload({}, [{}]) as unknown as AnyDoc;
    doc.alerts[0].annotations.summary = 'disk \ud83d\udd25 \\ud800';
    // The emoji as Alertmanager never writes it but JSON allows: a pair of escapes.
    const text = JSON.stringify(doc).replace(
      /[\u{10000}-\u{10FFFF}]/gu,
      (c) => `\\u${c.charCodeAt(0).toString(16)}\\u${c.charCodeAt(1).toString(16)}`,
    );
    expect(text).toContain('\\ud83d\\udd25');
    const r = await handleWebhook(req(text), deps);
    expect(r.statusCode).toBe(200);
    expect(JSON.stringify(slack[0].message)).toContain('disk 🔥 \\\\ud800');
  });
  it('413 past the size limit', async () => {
    const { deps } = setup({ maxBodyBytes: 1000 });
    expect(
      (
        await handleWebhook(
          req(
            amPayload(
              {},
              Array.from({ length: 20 }, () => ({})),
            ),
          ),
          deps,
        )
      ).statusCode,
    ).toBe(413);
  });
  it('400 for invalid UTF-8', async () => {
    const { deps } = setup();
    const r = await handleWebhook(req(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), deps);
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('UTF-8');
  });
});

describe('webhook: forwarding exactly once', () => {
  it('posts one Slack message and one SNS message with the right attributes', async () => {
    const { deps, slack, sns } = setup();
    const r = await handleWebhook(req(amPayload()), deps);
    expect(r.statusCode).toBe(200);
    expect(slack).toHaveLength(1);
    expect(sns).toHaveLength(1);
    expect(sns[0].attributes).toEqual({
      severity: 'warning',
      status: 'firing',
      alertname: 'KubePodCrashLooping',
      cluster: 'myeks',
    });
    expect(sns[0].subject).toBe('[FIRING:1] KubePodCrashLooping (myeks)');
  });

  it('does not post a retried notification again', async () => {
    const { deps, slack, sns } = setup();
    await handleWebhook(req(amPayload()), deps);
    const again = await handleWebhook(req(amPayload()), deps);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).outcomes).toEqual({ slack: 'duplicate', sns: 'duplicate' });
    expect(slack).toHaveLength(1);
    expect(sns).toHaveLength(1);
  });

  it('answers 502 when Slack fails and, on retry, redoes only Slack', async () => {
    let down = true;
    const { deps, slack, sns } = setup();
    const post = deps.postSlack;
    deps.postSlack = async (u, m) => {
      if (down) throw new Error('Slack answered 503; gave up after 3 attempts');
      return post(u, m);
    };
    const first = await handleWebhook(req(amPayload()), deps);
    expect(first.statusCode).toBe(502);
    expect(first.body).not.toContain(SLACK);
    down = false;
    const second = await handleWebhook(req(amPayload()), deps);
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body).outcomes).toEqual({ slack: 'sent', sns: 'duplicate' });
    expect(slack).toHaveLength(1);
    expect(sns).toHaveLength(1);
  });

  it('records Watchdog as the heartbeat and forwards nothing for it', async () => {
    const { deps, slack, sns } = setup();
    const r = await handleWebhook(
      req(
        amPayload({ commonLabels: { alertname: 'Watchdog', severity: 'none' } }, [
          { labels: { alertname: 'Watchdog', severity: 'none', cluster: 'myeks' } },
        ]),
      ),
      deps,
    );
    expect(r.statusCode).toBe(200);
    expect(slack).toEqual([]);
    expect(sns).toEqual([]);
    expect((await deps.store.get('heartbeat#myeks'))?.value).toMatchObject({ lastSeenAt: '2026-11-24T10:00:00.000Z' });
  });

  it('routes by severity to another Slack webhook', async () => {
    const { deps, slack } = setup({
      slackUrl: (sev) => (sev === 'critical' ? 'https://hooks.slack.com/services/CRIT' : SLACK),
    });
    await handleWebhook(
      req(
        amPayload({ commonLabels: { alertname: 'X', severity: 'critical' } }, [
          { labels: { alertname: 'X', severity: 'critical' } },
        ]),
      ),
      deps,
    );
    expect(slack[0].url).toBe('https://hooks.slack.com/services/CRIT');
  });
});

describe('webhook: Alertmanager retries are posted once, repeat reminders again', () => {
  function clocked(windowSeconds?: number) {
    let t = Date.parse('2026-11-24T10:00:00Z');
    const store = new MemoryStore(() => t);
    const s = setup({ store, now: () => new Date(t), ...(windowSeconds ? { dedupWindowSeconds: windowSeconds } : {}) });
    return { ...s, advance: (seconds: number) => (t += seconds * 1000) };
  }

  it('posts every repeat_interval reminder of a firing alert (the same notification after the window)', async () => {
    const { deps, slack, sns, advance } = clocked();
    const outcomes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await handleWebhook(req(amPayload()), deps);
      expect(r.statusCode).toBe(200);
      outcomes.push(JSON.parse(r.body).outcomes);
      advance(4 * 3600); // Alertmanager's default repeat_interval
    }
    expect(outcomes).toEqual(Array(3).fill({ slack: 'sent', sns: 'sent' }));
    expect(slack).toHaveLength(3);
    expect(sns).toHaveLength(3);
  });

  it('treats the same notification within the default window (5 minutes) as a retry', async () => {
    const { deps, slack, advance } = clocked();
    await handleWebhook(req(amPayload()), deps);
    advance(299);
    expect(JSON.parse((await handleWebhook(req(amPayload()), deps)).body).outcomes).toEqual({
      slack: 'duplicate',
      sns: 'duplicate',
    });
    advance(1);
    expect(JSON.parse((await handleWebhook(req(amPayload()), deps)).body).outcomes).toEqual({
      slack: 'sent',
      sns: 'sent',
    });
    expect(slack).toHaveLength(2);
  });

  it('honours a configured window', async () => {
    const { deps, slack, advance } = clocked(3);
    await handleWebhook(req(amPayload()), deps);
    advance(2);
    await handleWebhook(req(amPayload()), deps);
    expect(slack).toHaveLength(1);
    advance(3);
    await handleWebhook(req(amPayload()), deps);
    expect(slack).toHaveLength(2);
  });

  it('starts the window when the send succeeded, so a slow send is not repeated by the retry after it', async () => {
    const { deps, slack, advance } = clocked(10);
    const post = deps.postSlack;
    deps.postSlack = async (u, m) => {
      advance(8); // Slack took 8 s to answer; Alertmanager timed out and will retry
      await post(u, m);
    };
    await handleWebhook(req(amPayload()), deps);
    advance(5); // 13 s after the first attempt, 5 s after the post
    expect(JSON.parse((await handleWebhook(req(amPayload()), deps)).body).outcomes.slack).toBe('duplicate');
    expect(slack).toHaveLength(1);
  });

  it('posts once after a Slack outage: the retry redoes Slack only, SNS is a duplicate', async () => {
    const { deps, slack, sns, advance } = clocked();
    let down = true;
    const post = deps.postSlack;
    deps.postSlack = async (u, m) => {
      if (down) throw new Error('Slack answered 503 (service_unavailable); gave up after 3 attempts');
      await post(u, m);
    };
    expect((await handleWebhook(req(amPayload()), deps)).statusCode).toBe(502);
    advance(1);
    expect((await handleWebhook(req(amPayload()), deps)).statusCode).toBe(502);
    down = false;
    advance(2);
    const ok = await handleWebhook(req(amPayload()), deps);
    expect(JSON.parse(ok.body).outcomes).toEqual({ slack: 'sent', sns: 'duplicate' });
    advance(1);
    expect(JSON.parse((await handleWebhook(req(amPayload()), deps)).body).outcomes).toEqual({
      slack: 'duplicate',
      sns: 'duplicate',
    });
    expect(slack).toHaveLength(1);
    expect(sns).toHaveLength(1);
  });

  it('reads the window from ALERTMANAGER_DEDUP_WINDOW_SECONDS and rejects nonsense naming the variable', async () => {
    const env = { ALERTMANAGER_TOKEN: TOKEN };
    expect((await webhookDepsFromEnv(env, new MemoryStore())).dedupWindowSeconds).toBe(300);
    expect(
      (await webhookDepsFromEnv({ ...env, ALERTMANAGER_DEDUP_WINDOW_SECONDS: '30' }, new MemoryStore()))
        .dedupWindowSeconds,
    ).toBe(30);
    for (const bad of ['0', '-5', '1.5', 'five', '86401'])
      await expect(
        webhookDepsFromEnv({ ...env, ALERTMANAGER_DEDUP_WINDOW_SECONDS: bad }, new MemoryStore()),
      ).rejects.toThrow(/ALERTMANAGER_DEDUP_WINDOW_SECONDS .*whole seconds/);
    expect(() => parseDedupWindow('abc', '--dedup-window')).toThrow(/--dedup-window "abc"/);
  });
});

describe('webhook: routes and truthful answers', () => {
  const call = (method: string, path: string, body: unknown = amPayload()) =>
    handleWebhook({ ...req(body), method, path }, setup().deps);

  it('matches exact paths only', async () => {
    expect((await call('POST', '/evil/alertmanager')).statusCode).toBe(404);
    expect((await call('POST', '/alertmanager/x')).statusCode).toBe(404);
    expect((await call('GET', '/x/healthz')).statusCode).toBe(404);
    expect((await call('POST', '/alertmanager')).statusCode).toBe(200);
  });

  it('answers GET and HEAD /healthz, and 503 with the reason when the store cannot be used', async () => {
    expect((await call('GET', '/healthz')).statusCode).toBe(200);
    expect((await call('HEAD', '/healthz')).statusCode).toBe(200);
    expect((await call('POST', '/healthz')).statusCode).toBe(405);
    const store = new MemoryStore();
    const broken = Object.assign(store, {
      health: () => ({ ok: false, reason: 'cannot write /x/state.json: ENOSPC' }),
    });
    const r = await handleWebhook({ ...req(''), method: 'GET', path: '/healthz' }, setup({ store: broken }).deps);
    expect(r.statusCode).toBe(503);
    expect(JSON.parse(r.body).error).toBe('the state store cannot be used: cannot write /x/state.json: ENOSPC');
  });

  it('answers 400 for an empty alert list (Alertmanager never sends one), not "heartbeat recorded"', async () => {
    const { deps, slack } = setup();
    const r = await handleWebhook(req(amPayload({}, [])), deps);
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(/alerts is empty.*nothing to forward/);
    expect(slack).toEqual([]);
    expect(await deps.store.get('heartbeat#myeks')).toBeUndefined();
  });

  it('says a resolved Watchdog updated no heartbeat', async () => {
    const { deps } = setup();
    const r = await handleWebhook(
      req(
        amPayload({ status: 'resolved', commonLabels: { alertname: 'Watchdog' } }, [
          { status: 'resolved', labels: { alertname: 'Watchdog', cluster: 'myeks' } },
        ]),
      ),
      deps,
    );
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body).status).toBe('Watchdog resolved: heartbeat not updated, nothing forwarded');
    expect(await deps.store.get('heartbeat#myeks')).toBeUndefined();
  });
});

describe('alert formatting', () => {
  it('keeps Slack within 50 blocks and says how many more', () => {
    const p = validatePayload(
      amPayload(
        { truncatedAlerts: 5 },
        Array.from({ length: 200 }, () => ({})),
      ),
    );
    const m = slackMessage(p, 'myeks');
    const blocks = m.attachments[0].blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(blocks.some((b) => b.text?.text.startsWith('+158 more alerts (5 truncated by Alertmanager)'))).toBe(true);
    for (const b of blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect((blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
  });
  it('links a pre-filled silence and colours by severity', () => {
    expect(silenceUrl('http://am:9093/', { alertname: 'X', namespace: 'monitoring' })).toBe(
      `http://am:9093/#/silences/new?filter=${encodeURIComponent('{alertname="X",namespace="monitoring"}')}`,
    );
    const crit = slackMessage(validatePayload(amPayload({ commonLabels: { severity: 'critical' } })), 'c');
    const resolved = slackMessage(validatePayload(amPayload({ status: 'resolved' }, [{ status: 'resolved' }])), 'c');
    expect(crit.attachments[0].color).toBe('#d1242f');
    expect(resolved.attachments[0].color).toBe('#1a7f37');
  });
  it("fills the silence form's filter with encodeURIComponent of the matchers, whatever the labels", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({
        unit: fc.constantFrom('a', 'Z', '_', '-', '.', '"', '\\', '=', ',', ' ', '/', 'é', '🔥', '\ud800', '\udc00'),
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 6 }), (labels) => {
        // The matchers as Alertmanager's silence form reads them: `k="v"` with `"` escaped, prometheus left out.
        const matchers = Object.keys(labels)
          .filter((k) => k !== 'prometheus')
          .map((k) => `${k}="${labels[k].replace(/"/g, '\\"')}"`)
          .join(',');
        let expected: string | Error;
        try {
          expected = `http://am:9093/#/silences/new?filter=${encodeURIComponent(`{${matchers}}`)}`;
        } catch (err) {
          expected = err as Error;
        }
        if (expected instanceof Error) expect(() => silenceUrl('http://am:9093/', labels)).toThrow(URIError);
        else expect(silenceUrl('http://am:9093/', labels)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
  it("writes an alert's section line by line, leaving out a summary and a description it does not have", () => {
    const p = validatePayload(
      amPayload({ status: 'firing', truncatedAlerts: 2 }, [
        {},
        { status: 'resolved', annotations: {}, generatorURL: '', labels: { alertname: 'B<' } },
        { annotations: { description: 'only <this>' }, labels: { alertname: 'C', severity: 'info' } },
      ]),
    );
    const m = slackMessage(p, 'myeks');
    const texts = (m.attachments[0].blocks as Array<{ type: string; text?: { text: string } }>).map(
      (b) => b.text?.text,
    );
    const silence = (labels: Record<string, string>) =>
      `<${silenceUrl('http://alertmanager.example.com', labels)}|silence>`;
    expect(texts[0]).toBe('[FIRING:4] KubePodCrashLooping (myeks)');
    expect(texts[1]).toBe(
      [
        '🔥 *KubePodCrashLooping* · warning · ns `monitoring` · cluster `myeks`',
        'Pod is crash looping.',
        '_Pod monitoring/p-0 is in waiting state (reason: "CrashLoopBackOff")._',
        `<http://prometheus.example.com/graph?g0.expr=up|source> · ${silence(p.alerts[0].labels)} · since 2026-11-24T09:00:00.000Z`,
      ].join('\n'),
    );
    expect(texts[2]).toBe('✅ *B&lt;*\nsince 2026-11-24T09:00:00.000Z');
    expect(texts[3]).toBe(
      [
        '🔥 *C* · info',
        '_only &lt;this&gt;_',
        `<http://prometheus.example.com/graph?g0.expr=up|source> · ${silence(p.alerts[2].labels)} · since 2026-11-24T09:00:00.000Z`,
      ].join('\n'),
    );
  });
  it('names the most severe severity, the first of equals, whatever the case; none without any', () => {
    const order = ['critical', 'error', 'warning', 'info', 'none'];
    const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
    const severity = fc.option(fc.oneof(fc.constantFrom(...order, 'Critical', 'WARNING', 'page', 'P1'), fc.string()), {
      nil: undefined,
    });
    fc.assert(
      fc.property(severity, fc.array(severity, { minLength: 1, maxLength: 8 }), (common, each) => {
        const p = validatePayload(
          amPayload(
            { commonLabels: common === undefined ? {} : { severity: common } },
            each.map((sev, i) => ({
              labels:
                sev === undefined ? { alertname: 'A' } : ({ alertname: 'A', severity: sev } as Record<string, string>),
              fingerprint: `f${i}`,
            })),
          ),
        );
        const all = [common, ...each].filter((x): x is string => !!x).map((x) => x.toLowerCase());
        const expected = [...all].sort((a, b) => rank(a) - rank(b))[0] ?? 'none';
        expect(groupSeverity(p)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
  it('keys a notification as it always has (the keys are kept in the state across versions)', () => {
    expect(notificationKey(validatePayload(amPayload()))).toBe('6fdbd331a91675dff5e227be1bdaa61c');
    const odd = amPayload({ groupKey: '{}:{alertname="é\ud800"}', status: 'resolved' }, [
      { fingerprint: 'b', status: 'resolved' },
      { fingerprint: 'a\udc00' },
    ]);
    expect(notificationKey(validatePayload(odd))).toBe('472f5d83351ed4479e458fe0894d1adc');
  });
  it('makes SNS subjects of at most 100 printable ASCII characters', () => {
    expect(snsSubject(`héllo ${'x'.repeat(200)}`)).toMatch(/^[\x20-\x7E…]{1,100}$/);
    const m = snsMessage(validatePayload(amPayload()), 'myeks');
    expect(JSON.parse(m.message).alerts).toHaveLength(1);
  });
});

describe('webhook: bad input never crashes (property-based)', () => {
  const arbJson = fc.jsonValue({ maxDepth: 6 });
  it('answers 400 (never 5xx, never a throw) for thousands of arbitrary JSON bodies', async () => {
    const { deps } = setup();
    await fc.assert(
      fc.asyncProperty(arbJson, async (doc) => {
        const r = await handleWebhook(req(JSON.stringify(doc)), deps);
        expect([400]).toContain(r.statusCode);
        expect(JSON.parse(r.body).error.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
  it('answers 400 or 200 for mutated valid payloads, never 5xx', async () => {
    const { deps } = setup();
    const keys = [
      'version',
      'groupKey',
      'status',
      'receiver',
      'alerts',
      'groupLabels',
      'commonLabels',
      'commonAnnotations',
      'externalURL',
      'truncatedAlerts',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.jsonValue({ maxDepth: 3 }),
        fc.boolean(),
        async (key, value, drop) => {
          const p = amPayload();
          if (drop) delete p[key];
          else p[key] = value;
          const r = await handleWebhook(req(p), deps);
          expect([200, 400]).toContain(r.statusCode);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('answers 400 for random bytes and deep nesting, 413 for several MB', async () => {
    const { deps } = setup();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const r = await handleWebhook(req(Buffer.from(bytes)), deps);
        expect(r.statusCode).toBe(400);
      }),
      { numRuns: 1000 },
    );
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect((await handleWebhook(req(deep), deps)).statusCode).toBe(400);
    expect((await handleWebhook(req(Buffer.alloc(5 * 1024 * 1024, 0x20)), deps)).statusCode).toBe(413);
  });
});
