import { allChecks } from '../../../lib/checks';
import { runChecks } from '../../../lib/checks/run';
import { buildReport } from '../../../lib/report/build';
import { formatJson } from '../../../lib/report/format/json';
import { formatJunit, xmlEscape } from '../../../lib/report/format/junit';
import { formatMarkdown, mdEscape } from '../../../lib/report/format/markdown';
import { formatText, summaryLine } from '../../../lib/report/format/text';
import type { Report } from '../../../lib/report/types';
import { driftedExample } from '../../../scripts/make-examples';
import { labExpected } from '../../support/factories/expected';

function drifted(): Report {
  const s = driftedExample();
  return buildReport({
    cluster: 'myeks',
    startedAt: new Date(s.collectedAt),
    finishedAt: new Date(s.collectedAt),
    results: runChecks(allChecks, labExpected(), s),
    namespace: 'monitoring',
  });
}

/** A small well-formedness check: every tag closes in order, attributes quoted, no raw & or <. */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let consumed = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    consumed += m[0].length;
    if (m[5] !== undefined) {
      expect(m[5]).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
      continue;
    }
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
}

describe('report formats', () => {
  it('json has the contract keys, in order, for the report and each result', () => {
    const doc = JSON.parse(formatJson(drifted()));
    expect(Object.keys(doc).slice(0, 7)).toEqual([
      'tool',
      'version',
      'cluster',
      'startedAt',
      'durationMs',
      'summary',
      'results',
    ]);
    expect(doc.tool).toBe('stackcheck');
    expect(Object.keys(doc.summary)).toEqual(['pass', 'fail', 'error', 'skip', 'muted']);
    const failing = doc.results.find((r: { status: string }) => r.status === 'fail');
    expect(Object.keys(failing)).toEqual(
      expect.arrayContaining([
        'code',
        'check',
        'title',
        'status',
        'severity',
        'resource',
        'message',
        'expected',
        'actual',
        'remediation',
      ]),
    );
  });

  it('junit is well-formed XML with one testcase per result and failures for fails', () => {
    const r = drifted();
    const xml = formatJunit(r);
    assertWellFormedXml(xml);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(r.results.length);
    expect((xml.match(/<failure /g) ?? []).length).toBe(r.summary.fail);
    expect((xml.match(/<skipped /g) ?? []).length).toBe(r.summary.skip);
  });

  it('junit escapes markup and drops control characters', () => {
    expect(xmlEscape('a<b>&"c\'\u0007')).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    const r = drifted();
    r.results[0] = { ...r.results[0], status: 'fail', message: 'evil </failure><x> & \u0001' };
    assertWellFormedXml(formatJunit(r));
  });

  it('text: a line per family with its counts, then every result that is not a pass, failing first; the summary last', () => {
    const r = drifted();
    const text = formatText(r);
    const last = text.trimEnd().split('\n').pop();
    expect(last).toBe(summaryLine(r));
    expect(last).toMatch(/^\d+ passed, \d+ failed, \d+ errors, \d+ skipped$/);
    expect(text).toMatch(/\nworkloads +9 pass, 3 fail, 1 skip\n/);
    expect(text).toMatch(/\ncrds +17 pass\n/);
    // Failing results come before skipped ones; passes are not listed without verbose.
    expect(text.indexOf('Failing (7)')).toBeGreaterThan(0);
    expect(text.indexOf('Failing (7)')).toBeLessThan(text.indexOf('Skipped ('));
    expect(text).not.toContain('✓');
    expect(text).toContain('fix:      kubectl -n monitoring describe deploy kube-prometheus-stack-grafana;');
    const verbose = formatText(r, { verbose: true });
    expect(verbose).toContain(`Passed (${r.summary.pass})`);
    expect((verbose.match(/ ✓ /g) ?? []).length).toBe(r.summary.pass);
    expect(text).not.toContain('\u001b[');
    expect(formatText(r, { color: true })).toContain('\u001b[31m');
  });

  it('markdown escapes pipes and renders a table per family and a Mermaid topology', () => {
    expect(mdEscape('a|b\nc')).toBe('a\\|b<br>c');
    const s = driftedExample();
    const md = formatMarkdown(drifted(), { snapshot: s, expected: labExpected() });
    expect(md).toContain('```mermaid\nflowchart TB');
    expect(md).toContain('### alb');
    expect(md).toContain('❌ FAIL');
    // Failing results first, with their fix; AWS resources link to the console of their region.
    expect(md.indexOf('### Failing')).toBeGreaterThan(0);
    expect(md.indexOf('### Failing')).toBeLessThan(md.indexOf('### helm'));
    expect(md).toMatch(
      /\| ❌ \| `CRT002` \| critical \| \[`arn:aws:acm:[^`]+`\]\(https:\/\/ap-northeast-2\.console\.aws\.amazon\.com\/acm\/home\?region=ap-northeast-2#\/certificates\/[0-9a-f-]+\) \|.*\*\*fix:\*\*/,
    );
  });
});
