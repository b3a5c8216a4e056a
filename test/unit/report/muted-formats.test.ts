/** Muted results in every format: kept, shown apart, never counted as failing. */
import { allChecks } from '../../../lib/checks';
import { runChecks } from '../../../lib/checks/run';
import { applyMutes } from '../../../lib/config/apply';
import { buildReport } from '../../../lib/report/build';
import { formatJson } from '../../../lib/report/format/json';
import { formatJunit } from '../../../lib/report/format/junit';
import { formatMarkdown } from '../../../lib/report/format/markdown';
import { formatText } from '../../../lib/report/format/text';
import { formatHtml } from '../../../lib/report/html';
import { driftedExample } from '../../../scripts/make-examples';
import { labExpected } from '../../support/factories/expected';

const s = driftedExample();
const report = buildReport({
  cluster: 'myeks',
  startedAt: new Date(s.collectedAt),
  finishedAt: new Date(s.collectedAt),
  results: applyMutes(
    runChecks(allChecks, labExpected(), s),
    [{ code: 'CRT002', resource: 'arn:aws:acm:*', reason: 'renewal ordered', until: '2099-01-01' }],
    new Date(s.collectedAt),
  ),
});

describe('muted results in the reports', () => {
  it('json: status kept, muted {reason, until}, summary.muted; the muted one follows the failing ones', () => {
    const doc = JSON.parse(formatJson(report));
    expect(doc.summary).toMatchObject({ fail: 6, muted: 1 });
    const i = doc.results.findIndex((r: { code: string }) => r.code === 'CRT002');
    expect(doc.results[i]).toMatchObject({
      status: 'fail',
      muted: { reason: 'renewal ordered', until: '2099-01-01' },
    });
    expect(doc.results.slice(0, i).every((r: { status: string }) => r.status === 'fail')).toBe(true);
    expect(doc.results.slice(0, i)).toHaveLength(6);
  });

  it('junit: a muted failure is a skipped testcase saying why', () => {
    const xml = formatJunit(report);
    expect((xml.match(/<failure /g) ?? []).length).toBe(6);
    expect(xml).toContain('<skipped message="muted: renewal ordered (until 2099-01-01)">');
  });

  it('text, markdown and html list it apart with its reason', () => {
    expect(formatText(report)).toMatch(
      /\nMuted \(1\)\n {2}✗ CRT002 .*\n.*\n {6}muted: {4}renewal ordered \(until 2099-01-01\)\n/,
    );
    const md = formatMarkdown(report);
    expect(md.indexOf('### Muted')).toBeGreaterThan(md.indexOf('### Failing'));
    expect(md).toMatch(/\| 🔇 \| `CRT002` \|.*\*\*muted:\*\* renewal ordered \(until 2099-01-01\)/);
    const html = formatHtml({ report });
    expect(html).toMatch(/<tr id="r-\d+" class="muted" data-status="muted" data-family="certificate">/);
    expect(html).toContain('<span class="chip muted">1 muted</span>');
    expect(html).toContain('value="muted" checked');
  });
});
