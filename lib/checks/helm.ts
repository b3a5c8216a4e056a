/** Helm release: the latest revision is deployed, of the expected chart version, with the values in git. */
import { deployedRelease, latestRelease, unredactedConfig } from '../helm/release';
import { diffValues } from '../expected/values';
import { REDACTED, isSecretKey, redactValues } from '../redact';
import type { CheckContext, Check, Finding } from './types';
import { fail, pass, skip } from './util';

function secretRef(ctx: CheckContext, revision?: number): string {
  const { namespace, release } = ctx.expected;
  return `Secret/${namespace}/sh.helm.release.v1.${release}.v${revision ?? 1}`;
}

function latest(ctx: CheckContext) {
  return latestRelease(ctx.snapshot.kubernetes.helmReleases.filter((r) => r.name === ctx.expected.release));
}

export const helmChecks: Check[] = [
  {
    code: 'HELM001',
    family: 'helm',
    title: 'Helm release is deployed',
    severity: 'critical',
    description:
      'The latest revision of the release (the `sh.helm.release.v1.<release>.v<N>` Secret with the highest N) has status `deployed`, as `helm list` would show.',
    remediation:
      'helm history <release> -n <namespace>; fix the failed upgrade and run helm upgrade again (or helm rollback).',
    requires: ['k8s.helmReleases'],
    resource: (ctx) => secretRef(ctx, latest(ctx)?.revision),
    run(ctx): Finding[] {
      const rel = latest(ctx);
      if (!rel) {
        return [
          fail(
            secretRef(ctx),
            `no Helm release "${ctx.expected.release}" found in namespace ${ctx.expected.namespace}`,
            {
              expected: { release: ctx.expected.release, status: 'deployed' },
              actual: null,
              remediation: `helm list -n ${ctx.expected.namespace}; install the stack: helm install ${ctx.expected.release} prometheus-community/kube-prometheus-stack --version ${ctx.expected.chart.version} -n ${ctx.expected.namespace} -f values.yaml`,
            },
          ),
        ];
      }
      const ref = `Secret/${ctx.expected.namespace}/${rel.secretName}`;
      return [
        rel.status === 'deployed'
          ? pass(ref, `revision ${rel.revision} is deployed`, { expected: 'deployed', actual: rel.status })
          : fail(ref, `latest revision ${rel.revision} has status ${rel.status}`, {
              expected: 'deployed',
              actual: rel.status,
              remediation:
                `helm history ${ctx.expected.release} -n ${ctx.expected.namespace}; then helm rollback ${ctx.expected.release} ${deployedRelease(ctx.snapshot.kubernetes.helmReleases)?.revision ?? ''} -n ${ctx.expected.namespace} or fix and re-run helm upgrade`.replace(
                  /  +/g,
                  ' ',
                ),
            }),
      ];
    },
  },
  {
    code: 'HELM002',
    family: 'helm',
    title: 'Helm release uses the expected chart version',
    severity: 'warning',
    description:
      'The latest release revision was made from chart kube-prometheus-stack at the expected version (45.27.2).',
    remediation:
      'helm upgrade <release> prometheus-community/kube-prometheus-stack --version 45.27.2 -n <namespace> -f values.yaml',
    requires: ['k8s.helmReleases'],
    resource: (ctx) => secretRef(ctx, latest(ctx)?.revision),
    run(ctx) {
      const rel = latest(ctx);
      if (!rel) return [skip(secretRef(ctx), 'no release to read the chart version from (see HELM001)')];
      const ref = `Secret/${ctx.expected.namespace}/${rel.secretName}`;
      const want = `${ctx.expected.chart.name}-${ctx.expected.chart.version}`;
      const got = `${rel.chart.name}-${rel.chart.version}`;
      return [
        got === want
          ? pass(ref, `chart ${got}`, { expected: want, actual: got })
          : fail(ref, `release was made from chart ${got}, expected ${want}`, { expected: want, actual: got }),
      ];
    },
  },
  {
    code: 'HELM003',
    family: 'helm',
    title: 'Deployed values match the values file',
    severity: 'warning',
    description:
      'With --values, the user values recorded in the deployed release (its `config`) equal the values file and --set flags: the file in git and the cluster have not drifted apart. Secret values are redacted and not compared.',
    remediation: 'Re-deploy from git (helm upgrade … -f values.yaml), or commit the values that were deployed.',
    requires: ['k8s.helmReleases'],
    resource: (ctx) => secretRef(ctx, latest(ctx)?.revision),
    run(ctx) {
      const rel = deployedRelease(ctx.snapshot.kubernetes.helmReleases.filter((r) => r.name === ctx.expected.release));
      if (ctx.expected.valuesSource !== 'files') {
        return [
          skip(
            secretRef(ctx, rel?.revision),
            'the expectation was taken from the deployed release itself (no --values/--set)',
          ),
        ];
      }
      if (!rel) return [skip(secretRef(ctx), 'no deployed release to compare with (see HELM001)')];
      const ref = `Secret/${ctx.expected.namespace}/${rel.secretName}`;
      // Compared before redaction when the release was decoded in this run (secret paths are then
      // named but their values never shown); a recorded snapshot holds only redacted values.
      const diffs = diffValues(ctx.expected.values, unredactedConfig(rel.config) ?? rel.config);
      if (diffs.length === 0)
        return [pass(ref, `the values of revision ${rel.revision} equal the values file and --set flags`)];
      return diffs.map((d) => {
        const secret = isSecretKey(d.path.split('.').pop() ?? '');
        return fail(ref, `values in git and the deployed release differ at ${d.path}${secret ? ' (redacted)' : ''}`, {
          expected: secret ? REDACTED : redactValues(d.expected ?? null),
          actual: secret ? REDACTED : redactValues(d.actual ?? null),
        });
      });
    },
  },
];
