/**
 * Values files read as Helm reads them (sigs.k8s.io/yaml: go-yaml v2's YAML 1.1 resolution, then
 * JSON). Each row: a YAML value → what Helm passes to the chart (and records in the release).
 */
import { ConfigError } from '../../../lib/errors';
import { diffValues, loadUserValues, parseHelmYaml, parseValuesText } from '../../../lib/expected';

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
const one = (yamlValue: string) => plain(parseValuesText(`v: ${yamlValue}\n`, 'values.yaml')).v;

describe('values YAML: scalars as Helm resolves them (YAML 1.1, go-yaml v2)', () => {
  it.each<[string, unknown]>([
    // booleans
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['y', true],
    ['Y', true],
    ['on', true],
    ['On', true],
    ['ON', true],
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['no', false],
    ['No', false],
    ['NO', false],
    ['n', false],
    ['N', false],
    ['off', false],
    ['OFF', false],
    ['false', false],
    ['FALSE', false],
    ['yES', 'yES'],
    ['tRUE', 'tRUE'],
    ['"yes"', 'yes'],
    ["'off'", 'off'],
    // null
    ['', null],
    ['~', null],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    ['nULL', 'nULL'],
    // integers: Go's ParseInt(s, 0, 64) after removing underscores
    ['0755', 493],
    ['0o17', 15],
    ['0x1F', 31],
    ['0b101', 5],
    ['-0b101', -5],
    ['1_000', 1000],
    ['+12', 12],
    ['-0', 0],
    ['09', 9],
    ['"0755"', '0755'],
    ['12345678901234567890', Number('12345678901234567890')],
    // floats (float64, as JSON numbers)
    ['1.5', 1.5],
    ['1.0', 1],
    ['1e3', 1000],
    ['.5', 0.5],
    ['-1.5e-3', -0.0015],
    ['1.2.3', '1.2.3'],
    // timestamps stay text (go-yaml v2 gives an interface{} the original string)
    ['2001-12-14', '2001-12-14'],
    ['2001-12-14T21:59:43.10-05:00', '2001-12-14T21:59:43.10-05:00'],
    ['!!timestamp 2001-12-14', '2001-12-14'],
    // no sexagesimal numbers in go-yaml
    ['190:20:30', '190:20:30'],
    // explicit tags
    ['!!str 0755', '0755'],
    ['!!str yes', 'yes'],
    ['!!int "0755"', 493],
    ['!!float 1', 1],
    ['!!bool "on"', true],
    ['!custom text', 'text'],
    // durations, sizes, versions, hosts stay strings
    ['15s', '15s'],
    ['10Gi', '10Gi'],
    ['v1.2', 'v1.2'],
    ['prometheus.example.com', 'prometheus.example.com'],
  ])('v: %s', (yamlValue, want) => {
    expect(one(yamlValue)).toEqual(want);
  });

  it('keeps block scalars as text', () => {
    expect(plain(parseValuesText('a: |\n  yes\nb: >-\n  0755\n', 'f.yaml'))).toEqual({ a: 'yes\n', b: '0755' });
  });

  it.each([
    ['.inf', /\.inf cannot be converted to JSON/],
    ['-.Inf', /-\.Inf cannot be converted to JSON/],
    ['.nan', /\.nan cannot be converted to JSON/],
    ['!!int abc', /cannot decode !!str `abc` as a !!int/],
  ])('refuses %s as Helm does, naming the file and line', (yamlValue, why) => {
    expect(() => parseValuesText(`a: 1\nv: ${yamlValue}\n`, 'f.yaml')).toThrow(ConfigError);
    expect(() => parseValuesText(`a: 1\nv: ${yamlValue}\n`, 'f.yaml')).toThrow(why);
    expect(() => parseValuesText(`a: 1\nv: ${yamlValue}\n`, 'f.yaml')).toThrow(/^f\.yaml: .*\(line 2, column \d+\)$/);
  });
});

describe('values YAML: keys, merge keys, documents', () => {
  it.each<[string, string, unknown]>([
    ['boolean keys become "true"/"false"', 'yes: 1\noff: 2\n', { true: 1, false: 2 }],
    ['number keys become their decimal text', '1: a\n0755: b\n1.5: c\n', { '1': 'a', '493': 'b', '1.5': 'c' }],
    ['a duplicate key: the last wins', 'a: 1\na: 2\n', { a: 2 }],
    [
      'a merge key merges the anchored map; later keys win',
      'base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n',
      { base: { a: 1, b: 2 }, x: { a: 1, b: 3 } },
    ],
    [
      'a list of merges: earlier maps win',
      'one: &one {a: 1}\ntwo: &two {a: 2, b: 2}\nx:\n  <<: [*one, *two]\n',
      { one: { a: 1 }, two: { a: 2, b: 2 }, x: { a: 1, b: 2 } },
    ],
    [
      'a key before << is overridden by it (go-yaml v2 applies keys in order)',
      'base: &b {a: 1}\nx:\n  a: 0\n  <<: *b\n',
      { base: { a: 1 }, x: { a: 1 } },
    ],
    ['an inline map after <<', 'x:\n  <<: {a: 1, b: 1}\n  b: 2\n', { x: { a: 1, b: 2 } }],
    ['a quoted "<<" is an ordinary key', 'x:\n  "<<": {a: 1}\n', { x: { '<<': { a: 1 } } }],
    ['aliases are copies', 'a: &x [1, 2]\nb: *x\n', { a: [1, 2], b: [1, 2] }],
    ['only the first document counts', 'a: 1\n---\na: 2\n', { a: 1 }],
    ['an empty file is no values', '# nothing\n', {}],
  ])('%s', (_name, text, want) => {
    expect(plain(parseValuesText(text, 'f.yaml'))).toEqual(want);
  });

  it.each([
    ['a null key', '~: x\n', /a map key must be a string, number or boolean, not null/],
    ['a list key', '? [1]\n: x\n', /a map key must be a string, number or boolean, not a collection/],
    ['a merge of a scalar', 'x:\n  <<: 1\n', /a merge key \(<<\) needs a map or a list of maps/],
    ['an unknown alias', 'x: *nope\n', /not valid YAML|has no anchor/],
  ])('refuses %s', (_name, text, why) => {
    expect(() => parseValuesText(text, 'f.yaml')).toThrow(ConfigError);
    expect(() => parseValuesText(text, 'f.yaml')).toThrow(why);
  });

  it('the lab values file reads the same as before (no YAML 1.1 spelling in it)', () => {
    const u = loadUserValues({
      valuesFiles: ['examples/monitor-values.yaml'],
      env: { MyDomain: 'example.com', CERT_ARN: 'arn:x' },
    });
    const v = plain(u.values);
    expect(v.prometheus.prometheusSpec.retention).toBe('5d');
    expect(v.grafana.ingress.enabled).toBe(true);
  });
});

describe('values YAML: the release records what Helm read (HELM003)', () => {
  it('a YAML 1.1 spelling in the file equals the JSON Helm recorded in the release', () => {
    const file = parseValuesText(
      [
        'grafana:',
        '  enabled: yes',
        '  persistence: {enabled: on, size: 10Gi}',
        '  defaults: &d {mode: 0644}',
        '  sidecar:',
        '    <<: *d',
        '    enabled: Yes',
        'prometheus:',
        '  prometheusSpec: {replicas: 1.0, retention: 5d, scrapeInterval: 15s}',
        'kubeEtcd: {enabled: off}',
      ].join('\n'),
      'values.yaml',
    );
    // What `helm get values` / the release's `config` holds for that file (keys in Go's sorted order).
    const release = JSON.parse(
      '{"grafana":{"defaults":{"mode":420},"enabled":true,"persistence":{"enabled":true,"size":"10Gi"},"sidecar":{"enabled":true,"mode":420}},"kubeEtcd":{"enabled":false},"prometheus":{"prometheusSpec":{"replicas":1,"retention":"5d","scrapeInterval":"15s"}}}',
    );
    expect(diffValues(file, release)).toEqual([]);
    expect(diffValues(file, { ...release, kubeEtcd: { enabled: true } })).toEqual([
      { path: 'kubeEtcd.enabled', expected: false, actual: true },
    ]);
  });

  it('maps inside lists compare whatever their key order', () => {
    expect(diffValues({ l: [{ a: 1, b: 2 }] }, { l: [{ b: 2, a: 1 }] })).toEqual([]);
    expect(diffValues({ l: [{ a: 1 }] }, { l: [{ a: 1, b: 2 }] })).toHaveLength(1);
  });
});

describe('parseHelmYaml: a text read again (a warm Lambda, every run)', () => {
  const text = 'prometheus:\n  prometheusSpec:\n    retention: 5d\n    ports: [9090, 9091]\n';
  type Parsed = { prometheus: { prometheusSpec: { retention: string; ports: number[] } } };
  it('gives each caller its own copy: changing one result changes no later one', () => {
    const first = parseHelmYaml(text, 'a.yaml') as Parsed;
    first.prometheus.prometheusSpec.retention = '1d';
    first.prometheus.prometheusSpec.ports.push(1);
    const second = parseHelmYaml(text, 'a.yaml') as Parsed;
    expect(second.prometheus.prometheusSpec).toEqual({ retention: '5d', ports: [9090, 9091] });
    expect(second).not.toBe(first);
    // Still maps without a prototype: no key reaches Object.prototype.
    expect(Object.getPrototypeOf(second.prometheus)).toBeNull();
  });
  it('does not remember a text that is not valid: each read names the error', () => {
    expect(() => parseHelmYaml('a: [1', 'bad.yaml')).toThrow(/bad\.yaml: not valid YAML/);
    expect(() => parseHelmYaml('a: [1', 'again.yaml')).toThrow(/again\.yaml: not valid YAML/);
  });
});
