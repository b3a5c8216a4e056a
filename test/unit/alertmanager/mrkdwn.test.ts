import fc from 'fast-check';
import { silenceUrl, slackMessage } from '../../../lib/alertmanager/format';
import { validatePayload } from '../../../lib/alertmanager/schema';
import { linkTarget, mrkdwn, mrkdwnLink } from '../../../lib/util/mrkdwn';
import { amPayload } from './payloads';

/** Every piece of mrkdwn in a Slack message: block texts, context elements, the fallback text. */
function mrkdwnTexts(m: { text: string; attachments: Array<{ blocks: unknown[] }> }): string[] {
  const out = [m.text];
  for (const b of m.attachments[0].blocks as Array<{
    type: string;
    text?: { type: string; text: string };
    elements?: Array<{ type: string; text: string }>;
  }>) {
    if (b.text?.type === 'mrkdwn') out.push(b.text.text);
    for (const e of b.elements ?? []) if (e.type === 'mrkdwn') out.push(e.text);
  }
  return out;
}

/** The `<…>` sequences Slack would act on (links and mentions). */
const controls = (text: string) => [...text.matchAll(/<([^>]*)>/g)].map((m) => m[1]);

describe('Slack mrkdwn: escaping and links', () => {
  it('escapes &, < and >', () => {
    expect(mrkdwn('<!channel> & <http://evil|click>')).toBe('&lt;!channel&gt; &amp; &lt;http://evil|click&gt;');
  });

  it('links only http(s) URLs, with |, <, > and & made harmless', () => {
    expect(linkTarget('javascript:alert(1)')).toBeUndefined();
    expect(linkTarget('not a url')).toBeUndefined();
    expect(linkTarget('slack://channel?id=1')).toBeUndefined();
    expect(linkTarget('http://p:9090/graph?g0.expr=up&x=|<b>')).toBe('http://p:9090/graph?g0.expr=up&amp;x=%7C%3Cb%3E');
    expect(mrkdwnLink('https://a.example/x', '<b>')).toBe('<https://a.example/x|&lt;b&gt;>');
    expect(mrkdwnLink('ftp://a.example/x', 'source')).toBeUndefined();
  });
});

describe('Alertmanager notification → Slack: text from alerts is escaped', () => {
  const hostile = validatePayload(
    amPayload(
      {
        receiver: 'stackcheck <!here>',
        externalURL: 'http://am.example.com|<!channel>',
        commonLabels: { alertname: 'X<!channel>', severity: 'critical' },
      },
      [
        {
          labels: {
            alertname: 'X<!channel>',
            severity: 'critical <!here>',
            namespace: 'ns<@U123>',
            cluster: '<http://evil.example|click>',
          },
          annotations: { summary: '<!channel> wake up', description: 'see <http://evil.example|here> & more' },
          generatorURL: 'javascript:alert(1)//<!channel>',
        },
      ],
    ),
  );

  it('leaves no mention and no link but the ones it builds itself', () => {
    const m = slackMessage(hostile, 'myeks <!everyone>');
    for (const text of mrkdwnTexts(m))
      for (const c of controls(text)) expect(c).toMatch(/^http:\/\/am\.example\.com\/?%7C%3C!channel%3E/);
    const all = mrkdwnTexts(m).join('\n');
    expect(all).toContain('&lt;!channel&gt; wake up');
    expect(all).toContain('see &lt;http://evil.example|here&gt; &amp; more');
    expect(all).toContain('ns&lt;@U123&gt;');
    expect(m.text).toContain('X&lt;!channel&gt;');
    expect(all).not.toContain('javascript:');
  });

  it('keeps the source and silence links of ordinary alerts', () => {
    const m = slackMessage(validatePayload(amPayload()), 'myeks');
    const links = mrkdwnTexts(m).flatMap(controls);
    expect(links).toContain('http://prometheus.example.com/graph?g0.expr=up|source');
    expect(
      links.some(
        (l) => l.startsWith('http://alertmanager.example.com/#/silences/new?filter=') && l.endsWith('|silence'),
      ),
    ).toBe(true);
    expect(links).toContain('http://alertmanager.example.com/|Alertmanager');
  });
});

describe('Alertmanager notification → Slack: links as mrkdwnLink makes them', () => {
  /** An external URL of any shape: real ones, with paths, queries, fragments, odd characters, or none. */
  const externalUrl = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.webUrl().map((u) => `${u}/`),
    fc.constantFrom(
      '',
      'http://am:9093',
      'http://am:9093/',
      'HTTP://AM.example.com:80/x/../am/',
      'http://a m/',
      'ftp://am/',
    ),
    fc.constantFrom(
      'http://am/#',
      'http://am/?a=1&b=<2>|',
      'http://[::1]:9093',
      'http:/am',
      'http://am\t/p',
      ' http://am/ ',
    ),
    fc.string(),
  );
  const labels = fc.dictionary(
    fc.oneof(fc.constantFrom('alertname', 'pod', 'prometheus', 'severity'), fc.string({ minLength: 1 })),
    fc.string(),
  );

  it('the source and silence links of every alert are mrkdwnLink(generatorURL) and mrkdwnLink(silenceUrl(…))', () => {
    fc.assert(
      fc.property(
        externalUrl,
        fc.array(fc.tuple(labels, fc.oneof(externalUrl, fc.constant(''))), { minLength: 1, maxLength: 4 }),
        (ext, alerts) => {
          const p = validatePayload(
            amPayload(
              { externalURL: ext },
              alerts.map(([l, generatorURL], i) => ({
                labels: { ...l, alertname: 'A' },
                generatorURL,
                fingerprint: `f${i}`,
              })),
            ),
          );
          const m = slackMessage(p, 'c');
          const sections = (m.attachments[0].blocks as Array<{ type: string; text?: { text: string } }>).filter(
            (b) => b.type === 'section',
          );
          p.alerts.forEach((a, i) => {
            const links = [
              a.generatorURL ? mrkdwnLink(a.generatorURL, 'source') : undefined,
              ext ? mrkdwnLink(silenceUrl(ext, a.labels), 'silence') : undefined,
            ].filter(Boolean);
            const last = sections[i].text!.text.split('\n').pop()!;
            expect(last).toBe([...links, `since ${a.startsAt}`].join(' · '));
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
