import type { Result } from '../../../lib/checks/types';
import { detectChange } from '../../../lib/notify/change';
import { slackReport } from '../../../lib/notify/messages';
import { buildReport } from '../../../lib/report/build';

function result(over: Partial<Result>): Result {
  return {
    code: 'WRK001',
    check: 'workloads',
    title: 'Deployments available',
    status: 'fail',
    severity: 'critical',
    resource: 'Deployment/monitoring/kube-prometheus-stack-grafana',
    message: 'not available',
    ...over,
  };
}

/** Every mrkdwn text of a report message, with the fallback text. */
function texts(m: { text: string; blocks: unknown[] }): string[] {
  const out = [m.text];
  for (const b of m.blocks as Array<{ text?: { type: string; text: string }; elements?: Array<{ text: string }> }>) {
    if (b.text?.type === 'mrkdwn') out.push(b.text.text);
    for (const e of b.elements ?? []) out.push(e.text);
  }
  return out;
}

describe('verify report → Slack: text from the cluster is escaped', () => {
  const report = buildReport({
    cluster: 'prod <!channel>',
    startedAt: new Date('2026-11-24T10:00:00Z'),
    finishedAt: new Date('2026-11-24T10:00:01Z'),
    results: [
      result({
        resource: 'Deployment/monitoring/<!here>',
        message: 'image is <http://evil.example|click> & more',
        expected: '<!channel>',
        actual: { tag: '<@U123>' },
      }),
    ],
  });

  it('escapes resource names, messages, expected/actual and the cluster name everywhere', () => {
    const m = slackReport(report, detectChange(undefined, report), { link: 'https://r.example/report.html?a=1&b=2' });
    const all = texts(m);
    const controls = all.flatMap((t) => [...t.matchAll(/<([^>]*)>/g)].map((x) => x[1]));
    expect(controls).toEqual(['https://r.example/report.html?a=1&amp;b=2|report']);
    const joined = all.join('\n');
    expect(m.text).toContain('prod &lt;!channel&gt;');
    expect(joined).toContain('Deployment/monitoring/&lt;!here&gt;');
    expect(joined).toContain('image is &lt;http://evil.example|click&gt; &amp; more');
    expect(joined).toContain('expected: &lt;!channel&gt;');
    expect(joined).toContain('seen: {"tag":"&lt;@U123&gt;"}');
  });

  it('does not link a report URL that is not http(s)', () => {
    const m = slackReport(report, detectChange(undefined, report), { link: 'javascript:alert(1)' });
    expect(texts(m).join('\n')).not.toContain('javascript:');
  });
});
