import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { allChecks } from '../../../lib/checks';
import { fillRemediation } from '../../../lib/checks/remediation';
import { runChecks } from '../../../lib/checks/run';
import { loadSnapshotFile } from '../../../lib/snapshot/load';
import { labExpected } from '../../support/factories/expected';

const EX = join(__dirname, '../../../examples');
const PLACEHOLDER = /<[a-z][\w -]*>/i;

describe('remediations name the actual object', () => {
  it('no result of the bundled examples keeps a <name>-style placeholder in its remediation', () => {
    const files = readdirSync(EX).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) {
      const results = runChecks(allChecks, labExpected(), loadSnapshotFile(join(EX, f)));
      expect(results.length).toBeGreaterThan(50);
      for (const r of results) expect(`${r.code} ${r.remediation ?? ''}`).not.toMatch(PLACEHOLDER);
    }
  });

  it('fills the kubectl command from the resource, the ARN commands from the ARN', () => {
    const drifted = runChecks(allChecks, labExpected(), loadSnapshotFile(join(EX, 'drifted-snapshot.json')));
    const by = (code: string) => drifted.find((r) => r.code === code && r.status === 'fail');
    expect(by('WRK004')?.remediation).toMatch(
      /^kubectl -n monitoring describe deploy kube-prometheus-stack-grafana; kubectl -n monitoring get pods;/,
    );
    expect(by('STO001')?.remediation).toMatch(/^kubectl -n monitoring describe pvc kube-prometheus-stack-grafana:/);
    expect(by('ALB008')?.remediation).toContain(`--target-group-arn ${by('ALB008')?.resource}:`);
    expect(by('CRT002')?.remediation).toContain(`--certificate-arn ${by('CRT002')?.resource} `);
    expect(by('WRK008')?.remediation).toBe(
      'Set prometheus.prometheusSpec.externalUrl: https://prometheus.example.com/ in the values file and helm upgrade.',
    );
  });

  it('a listener rule leads to its listener; a missing load balancer keeps the placeholder it cannot know', () => {
    const rule =
      'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener-rule/app/myeks-ingress-alb/5e4d3c2b1a0f9e8d/8c9d0e1f2a3b4c5d/1a2b3c4d5e6f7a8b';
    expect(fillRemediation('aws elbv2 describe-rules --listener-arn <listener-arn>', rule, labExpected())).toBe(
      'aws elbv2 describe-rules --listener-arn arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:listener/app/myeks-ingress-alb/5e4d3c2b1a0f9e8d/8c9d0e1f2a3b4c5d',
    );
    expect(fillRemediation('describe <arn>', 'arn:aws:elasticloadbalancing:::loadbalancer/app/x', labExpected())).toBe(
      'describe <arn>',
    );
    expect(fillRemediation('kubectl describe <object>', 'PersistentVolume/pvc-1', labExpected())).toBe(
      'kubectl describe pv pvc-1',
    );
    expect(
      fillRemediation(
        'crd-<crd-plural>.yaml',
        'CustomResourceDefinition/prometheuses.monitoring.coreos.com',
        labExpected(),
      ),
    ).toBe('crd-prometheuses.yaml');
  });
});
