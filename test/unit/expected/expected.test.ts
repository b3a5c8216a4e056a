import { join } from 'node:path';
import { ConfigError } from '../../../lib/errors';
import { buildExpected, diffValues, envsubst, loadUserValues, parseSet } from '../../../lib/expected';
import { LAB_CERT_ARN, labExpected } from '../../support/factories/expected';

const LAB_VALUES = join(__dirname, '../../../examples/monitor-values.yaml');
const LAB_SETS = ['prometheus.prometheusSpec.scrapeInterval=15s', 'prometheus.prometheusSpec.evaluationInterval=15s'];
const LAB_ENV = { MyDomain: 'example.com', CERT_ARN: LAB_CERT_ARN };

function files(map: Record<string, string>) {
  return (p: string) => {
    if (!(p in map)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return map[p];
  };
}

describe('spec: envsubst', () => {
  it('substitutes ${VAR} and $VAR like GNU envsubst, unset ones become empty and are reported', () => {
    const r = envsubst('a: prometheus.$MyDomain\nb: ${CERT_ARN}\nc: $UNSET-x\nd: $1 ${A:-b} $', {
      MyDomain: 'ex.com',
      CERT_ARN: 'arn',
    });
    expect(r.text).toBe('a: prometheus.ex.com\nb: arn\nc: -x\nd: $1 ${A:-b} $');
    expect(r.unset).toEqual(['UNSET']);
    // What was substituted stays known (values from secret-named variables are redacted by the reports).
    expect(r.substituted).toEqual([
      { name: 'MyDomain', value: 'ex.com' },
      { name: 'CERT_ARN', value: 'arn' },
    ]);
  });

  it('loadUserValues reports the substituted variables per file', () => {
    const u = loadUserValues({ valuesFiles: [LAB_VALUES], sets: [], env: LAB_ENV });
    expect(u.substituted).toEqual([
      { name: 'MyDomain', value: 'example.com', file: LAB_VALUES },
      { name: 'CERT_ARN', value: LAB_CERT_ARN, file: LAB_VALUES },
    ]);
  });
});

describe('spec: --set', () => {
  it('parses paths, lists, indices, escapes and Helm types', () => {
    expect(parseSet('a.b=15s,c=10,d=true,e=null,f=1.5,g=007')).toEqual({
      a: { b: '15s' },
      c: 10,
      d: true,
      e: null,
      f: '1.5',
      g: '007',
    });
    expect(parseSet('hosts={a.example.com,b.example.com}')).toEqual({ hosts: ['a.example.com', 'b.example.com'] });
    expect(parseSet('x[1].name=n')).toEqual({ x: [null, { name: 'n' }] });
    expect(parseSet('annotations.alb\\.ingress\\.kubernetes\\.io/scheme=internal')).toEqual({
      annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal' },
    });
    expect(parseSet('a=x\\,y')).toEqual({ a: 'x,y' });
    expect(parseSet('a=')).toEqual({ a: '' });
  });

  it.each([
    ['novalue', /key "novalue" has no value/],
    ['a.=1', /key map "a" has no value/],
    ['a={x,y', /list must terminate with '}'/],
    ['a[x]=1', /list index "x" is not a number/],
  ])('rejects %j with a ConfigError naming the --set', (input, reason) => {
    expect(() => parseSet(input)).toThrow(ConfigError);
    expect(() => parseSet(input)).toThrow(reason);
    expect(() => parseSet(input)).toThrow(/--set/);
  });
});

describe('spec: the lab install', () => {
  it('derives the expected state of the lab from monitor-values.yaml, its --set flags and the environment', () => {
    const user = loadUserValues({ valuesFiles: [LAB_VALUES], sets: LAB_SETS, env: LAB_ENV });
    expect(user.unsetVariables).toEqual([]);
    const expected = buildExpected(user, {}, 'files');
    expect({ ...expected, notes: [] }).toEqual(labExpected());
    expect(expected.notes.join('\n')).toMatch(/grafana\.ingress\.paths is not read/);
    expect(
      (expected.values as { prometheus: { prometheusSpec: { retention: string } } }).prometheus.prometheusSpec
        .retention,
    ).toBe('5d');
  });

  it('takes MyDomain from --env the same way (the CLI merges --env over the environment)', () => {
    const user = loadUserValues({
      valuesFiles: [LAB_VALUES],
      sets: LAB_SETS,
      env: { ...LAB_ENV, MyDomain: 'corp.io' },
    });
    const expected = buildExpected(user);
    expect(expected.hosts).toEqual(['prometheus.corp.io', 'grafana.corp.io']);
    expect(expected.prometheus.externalUrl).toBe('http://prometheus.corp.io/');
    expect(expected.domain).toBe('corp.io');
  });

  it('notes an unset MyDomain instead of silently expecting the host "prometheus."', () => {
    const user = loadUserValues({ valuesFiles: [LAB_VALUES], sets: [], env: { CERT_ARN: LAB_CERT_ARN } });
    expect(user.unsetVariables).toEqual(['MyDomain']);
    expect(buildExpected(user).notes.join('\n')).toMatch('ingress host "prometheus." looks incomplete');
  });

  it('renders names for another release name as the chart does', () => {
    const e = buildExpected({ values: {} }, { release: 'monitor', namespace: 'obs' });
    // kube-prometheus-stack.fullname truncates to 26 characters: monitor-kube-prometheus-st
    expect(e.prometheus.crName).toBe('monitor-kube-prometheus-st-prometheus');
    expect(e.prometheus.statefulSetName).toBe(`prometheus-${e.prometheus.crName}`);
    expect(e.grafana.deploymentName).toBe('monitor-grafana');
    expect(e.nodeExporter.daemonSetName).toBe('monitor-prometheus-node-exporter');
    expect(e.kubeStateMetrics.deploymentName).toBe('monitor-kube-state-metrics');
    expect(e.operator.deploymentName).toBe('monitor-kube-prometheus-st-operator');
    expect(e.namespace).toBe('obs');
    expect(e.prometheus.retention).toBe('10d');
    expect(e.prometheus.retentionSize).toBeUndefined();
    expect(e.prometheus.externalUrl).toBe('http://monitor-kube-prometheus-st-prometheus.obs:9090');
    expect(e.alertmanager.enabled).toBe(true);
    expect(e.serviceMonitors).toContain('monitor-kube-prometheus-st-kube-etcd');
  });

  it('merges in order: defaults < first file < second file < --set < flags', () => {
    const read = files({
      'a.yaml':
        'prometheus:\n  prometheusSpec:\n    retention: 1d\n    retentionSize: 1GB\n  ingress:\n    enabled: true\n    hosts: [p.one.com]\n',
      'b.yaml': 'prometheus:\n  prometheusSpec:\n    retention: 2d\n',
    });
    const user = loadUserValues(
      { valuesFiles: ['a.yaml', 'b.yaml'], sets: ['prometheus.prometheusSpec.retentionSize=3GB'], env: {} },
      read,
    );
    const e = buildExpected(user, { domain: 'flag.com' });
    expect(e.prometheus.retention).toBe('2d');
    expect(e.prometheus.retentionSize).toBe('3GB');
    expect(e.prometheus.ingress?.hosts).toEqual(['prometheus.flag.com']);
  });
});

describe('spec: null deletes a chart default (Helm coalescing)', () => {
  it('--set KEY=null: a flag is off, a string unset, a subchart condition ignored (the subchart stays)', () => {
    const user = loadUserValues({
      valuesFiles: [LAB_VALUES],
      sets: [
        ...LAB_SETS,
        'grafana.ingress.enabled=null',
        'prometheus.prometheusSpec.retentionSize=NULL',
        'grafana.enabled=null',
        'prometheus.ingress.annotations=null',
      ],
      env: LAB_ENV,
    });
    const e = buildExpected(user);
    expect(e.grafana.ingress).toBeUndefined();
    expect(e.prometheus.retentionSize).toBeUndefined();
    expect(e.grafana.enabled).toBe(true);
    expect(e.prometheus.ingress?.annotations).toEqual({});
    expect(e.prometheus.retention).toBe('5d');
  });
});

describe('spec: configuration errors', () => {
  it('names the file and key path of a value of the wrong type', () => {
    const read = files({ 'bad.yaml': 'prometheus:\n  prometheusSpec:\n    retention: [1]\n' });
    const user = loadUserValues({ valuesFiles: ['bad.yaml'], sets: [], env: {} }, read);
    expect(() => buildExpected(user)).toThrow(
      'bad.yaml: prometheus.prometheusSpec.retention: expected a string, got a list',
    );
  });

  it('names the --set that put a wrong type at a read key', () => {
    const user = loadUserValues({ valuesFiles: [], sets: ['grafana.ingress.enabled=maybe'], env: {} });
    expect(() => buildExpected(user)).toThrow(
      '--set "grafana.ingress.enabled=maybe": grafana.ingress.enabled: expected true or false, got a string ("maybe")',
    );
  });

  it('rejects a file that is not YAML, naming it and the position', () => {
    const read = files({ 'broken.yaml': 'prometheus:\n  ingress: {enabled: true\n' });
    expect(() => loadUserValues({ valuesFiles: ['broken.yaml'], sets: [], env: {} }, read)).toThrow(
      /broken\.yaml: not valid YAML \(line \d+, column \d+\)/,
    );
  });

  it('rejects a file whose top level is not a map', () => {
    const read = files({ 'list.yaml': '- a\n- b\n' });
    expect(() => loadUserValues({ valuesFiles: ['list.yaml'], sets: [], env: {} }, read)).toThrow(
      /list\.yaml: the top level of a values file must be a map/,
    );
  });

  it('names a missing values file', () => {
    expect(() => loadUserValues({ valuesFiles: ['nope.yaml'], sets: [], env: {} }, files({}))).toThrow(
      '--values nope.yaml: cannot read the file: no such file',
    );
  });

  it('ignores keys it does not read, as Helm does', () => {
    const e = buildExpected({
      values: { prometheus: { prometheusSpec: { maximumStartupDurationSeconds: 600, whatever: [1] } }, unknownTop: 1 },
    });
    expect(e.prometheus.retention).toBe('10d');
  });
});

describe('spec: values drift between git and the deployed release', () => {
  it('lists leaf paths that differ and ignores redacted values', () => {
    const d = diffValues(
      { prometheus: { prometheusSpec: { retention: '5d', retentionSize: '10GiB' } }, grafana: { adminPassword: 'x' } },
      {
        prometheus: { prometheusSpec: { retention: '7d', retentionSize: '10GiB' } },
        grafana: { adminPassword: '[REDACTED]' },
      },
    );
    expect(d).toEqual([{ path: 'prometheus.prometheusSpec.retention', expected: '5d', actual: '7d' }]);
  });
});
