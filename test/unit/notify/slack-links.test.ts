import { allChecks } from '../../../lib/checks';
import { runChecks } from '../../../lib/checks/run';
import { applyMutes } from '../../../lib/config/apply';
import { detectChange } from '../../../lib/notify/change';
import { slackReport } from '../../../lib/notify/messages';
import { buildReport } from '../../../lib/report/build';
import { driftedExample } from '../../../scripts/make-examples';
import { labExpected } from '../../support/factories/expected';

describe('slack report: AWS resources and muted results', () => {
  const s = driftedExample();
  const results = applyMutes(
    runChecks(allChecks, labExpected(), s),
    [{ code: 'WRK008', resource: '*', reason: 'lab' }],
    new Date(s.collectedAt),
  );
  const report = buildReport({ cluster: 'myeks', startedAt: new Date(0), finishedAt: new Date(0), results });
  const text = JSON.stringify(slackReport(report, detectChange(undefined, report)).blocks);

  it('links an AWS resource to its console page in the region; Kubernetes objects stay code', () => {
    expect(text).toMatch(
      /<https:\/\/ap-northeast-2\.console\.aws\.amazon\.com\/acm\/home\?region=ap-northeast-2#\/certificates\/[0-9a-f-]+\|arn:aws:acm:ap-northeast-2:111122223333:certificate\/[0-9a-f-]+>/,
    );
    expect(text).toContain('`Deployment/monitoring/kube-prometheus-stack-grafana`');
  });

  it('does not list muted results as failing', () => {
    expect(text).not.toContain('WRK008');
    expect(text).toContain('WRK004');
  });
});
