import { stringify } from 'yaml';
import type { Snapshot } from '../../../lib/snapshot/types';
import { byName } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

/** Gives the deployed release a manifest rendered from the (healthy) live objects. */
function withManifest(s: Snapshot): void {
  const k = s.kubernetes;
  const objects = [...k.deployments, ...k.daemonSets, ...k.services, ...k.ingresses, ...k.prometheuses].map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, annotations: o.metadata.annotations },
    spec: o.spec,
  }));
  k.helmReleases[1].manifest = objects
    .map((o) => `---\n# Source: kube-prometheus-stack/templates/x.yaml\n${stringify(o)}`)
    .join('');
}

describe('check: Helm manifest drift (HELM101)', () => {
  it('passes when the live objects are what Helm rendered', () => {
    expect(runCode('HELM101', withManifest)[0]).toMatchObject({
      status: 'pass',
      resource: 'Secret/monitoring/sh.helm.release.v1.kube-prometheus-stack.v2',
    });
  });
  it('is skipped when the release has no manifest', () => {
    expect(runCode('HELM101')[0].status).toBe('skip');
  });
  it('reports a hand-scaled Deployment, a changed image and an edited ingress annotation, each with both values', () => {
    const rs = runCode('HELM101', (s) => {
      withManifest(s);
      const g = byName(s.kubernetes.deployments, 'kube-prometheus-stack-grafana');
      s.kubernetes.deployments = s.kubernetes.deployments.map((d) =>
        d === g
          ? {
              ...g,
              spec: {
                ...g.spec,
                replicas: 0,
                template: {
                  ...g.spec.template,
                  spec: {
                    ...g.spec.template.spec,
                    containers: [{ ...g.spec.template.spec.containers[0], image: 'docker.io/grafana/grafana:10.0.0' }],
                  },
                },
              },
            }
          : d,
      );
      const ing = s.kubernetes.ingresses[0];
      ing.metadata = {
        ...ing.metadata,
        annotations: { ...ing.metadata.annotations, 'alb.ingress.kubernetes.io/scheme': 'internal' },
      };
      s.kubernetes.prometheuses[0] = {
        ...s.kubernetes.prometheuses[0],
        spec: { ...s.kubernetes.prometheuses[0].spec, retention: '1d' },
      };
    });
    expect(failing(rs).map((r) => `${r.resource} ${r.message}`)).toEqual([
      'Deployment/monitoring/kube-prometheus-stack-grafana spec.replicas differs from what Helm rendered',
      'Deployment/monitoring/kube-prometheus-stack-grafana container grafana image differs from what Helm rendered',
      'Ingress/monitoring/kube-prometheus-stack-prometheus annotation alb.ingress.kubernetes.io/scheme differs from what Helm rendered',
      'Prometheus/monitoring/kube-prometheus-stack-prometheus spec.retention differs from what Helm rendered',
    ]);
    expect(failing(rs)[0]).toMatchObject({ expected: 1, actual: 0, severity: 'warning' });
  });
});
