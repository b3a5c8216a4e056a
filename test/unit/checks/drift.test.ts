import { parse } from 'yaml';
import { renderedObjects } from '../../../lib/checks/drift';
import { byName } from '../../support/factories/k8s';
import { failing, runCode } from '../../support/run-check';

describe('check: Helm manifest drift (HELM101)', () => {
  it('passes when the live objects are what Helm rendered (the lab release carries its full manifest)', () => {
    const [r] = runCode('HELM101');
    expect(r).toMatchObject({
      status: 'pass',
      resource: 'Secret/monitoring/sh.helm.release.v1.kube-prometheus-stack.v2',
    });
    // 5 Services, 3 Deployments, 1 DaemonSet, 2 Ingresses, 1 Prometheus in monitoring; the chart's
    // kube-system Services (CoreDNS, kube-proxy) are not read, so not compared, and not failed.
    expect(r.message).toBe('the 12 objects compared match the manifest of revision 2 (2 in other namespaces not read)');
  });
  it('fails for a rendered Service that is not in the cluster', () => {
    const rs = runCode('HELM101', (s) => {
      s.kubernetes.services = s.kubernetes.services.filter((o) => o.metadata.name !== 'kube-prometheus-stack-operator');
    });
    expect(failing(rs)).toEqual([
      expect.objectContaining({
        resource: 'Service/monitoring/kube-prometheus-stack-operator',
        message: '(object) differs from what Helm rendered',
      }),
    ]);
  });
  it('is skipped, not failed, when the Services were not collected', () => {
    const rs = runCode('HELM101', (s) => {
      s.collected = s.collected.filter((k) => k !== 'k8s.services');
      s.kubernetes.services = [];
    });
    expect(rs).toEqual([expect.objectContaining({ status: 'skip', message: expect.stringContaining('k8s.services') })]);
  });
  it('is skipped when the release has no manifest', () => {
    const rs = runCode('HELM101', (s) => {
      for (const r of s.kubernetes.helmReleases) delete r.manifest;
    });
    expect(rs[0].status).toBe('skip');
  });
  it('reports a hand-scaled Deployment, a changed image and an edited ingress annotation, each with both values', () => {
    const rs = runCode('HELM101', (s) => {
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

describe('reading the manifest (renderedObjects)', () => {
  it('parses only the kinds compared, however large the rest (dashboards, rules)', () => {
    const dashboard = JSON.stringify({
      panels: Array.from({ length: 2000 }, (_, i) => ({ id: i, kind: 'Deployment' })),
    });
    const manifest = [
      '---\n# Source: kube-prometheus-stack/templates/grafana/dashboards-1.14/k8s.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k8s.json: |-\n    ' +
        dashboard,
      '---\n# Source: kube-prometheus-stack/templates/prometheus/rules-1.14/node.yaml\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: rules\nspec:\n  groups: []',
      '---\n# Source: kube-prometheus-stack/templates/prometheus/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: kube-prometheus-stack-prometheus\n  namespace: monitoring\nspec:\n  ports:\n  - port: 9090\n',
    ].join('\n');
    expect(renderedObjects(manifest, ['Service', 'Deployment']).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/kube-prometheus-stack-prometheus',
    ]);
  });
  it('reads a document as a YAML 1.2 core parser does (quoting, block scalars, anchors, comments, numbers)', () => {
    // What templates write: quoted and plain scalars side by side, `|` blocks, `{{ toYaml }}` flow
    // maps, comments after values, anchors. The oracle is the `yaml` package's YAML 1.2 core schema.
    const text = [
      '# Source: kube-prometheus-stack/charts/grafana/templates/deployment.yaml',
      'apiVersion: apps/v1',
      'kind: "Deployment"',
      'metadata:',
      '  name: kube-prometheus-stack-grafana   # the chart fullname',
      '  namespace: monitoring',
      '  labels: {app.kubernetes.io/name: grafana, helm.sh/chart: "grafana-6.57.4", version: 6.57}',
      '  annotations:',
      "    checksum/config: 'yes'",
      '    note: |',
      '      two lines',
      '      of text',
      'spec:',
      '  replicas: 1',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: grafana',
      '          image: "docker.io/grafana/grafana:9.5.3"',
      '          args: &args ["--config=/etc/grafana/grafana.ini", 0x1F, 0o17, 1e3, .inf, ~, true, True, yes, 012]',
      '          ports:',
      '            - containerPort: 3000',
      '              name: grafana',
      '              protocol: TCP',
      '        - name: sidecar',
      '          args: *args',
      '',
    ].join('\n');
    const [doc] = renderedObjects(`---\n${text}`, ['Deployment']);
    expect(doc).toEqual(parse(text));
    expect(doc.spec.template.spec.containers[0].args).toEqual([
      '--config=/etc/grafana/grafana.ini',
      31,
      15,
      1000,
      Infinity,
      null,
      true,
      true,
      'yes',
      12,
    ]);
  });
});

describe('reading the same manifest again (a warm Lambda, every run)', () => {
  const manifest =
    '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - port: 9090\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n';
  it('parses it once, and the documents it shares cannot be changed by a check', () => {
    const first = renderedObjects(manifest, ['Service']);
    expect(renderedObjects(`${manifest}`, ['Service'])).toBe(first);
    try {
      (first[0].spec.ports as Array<{ port: number }>)[0].port = 1;
    } catch {
      // strict mode throws; either way the shared document is unchanged
    }
    expect(Object.isFrozen(first[0].spec.ports[0])).toBe(true);
    expect(first[0].spec.ports[0].port).toBe(9090);
  });
  it('reads another manifest, or other kinds, anew', () => {
    const first = renderedObjects(manifest, ['Service']);
    expect(renderedObjects(manifest.replace('name: b', 'name: c'), ['Service']).map((o) => o.metadata.name)).toEqual([
      'a',
      'c',
    ]);
    expect(renderedObjects(manifest, ['Deployment'])).toEqual([]);
    expect(renderedObjects(manifest, ['Service'])).not.toBe(first);
  });
});
