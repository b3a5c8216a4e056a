/**
 * Issue 13.4: `__proto__`, `constructor` and `prototype` are plain keys everywhere values go
 * (values files, the --set family, merging, the expected state): Object.prototype is never touched.
 */
import { buildExpected, loadUserValues, mergeValues, type SetFlag } from '../../../lib/expected';
import { parseValuesText } from '../../../lib/expected/values';

afterEach(() => {
  for (const k of ['enabled', 'polluted', 'create']) delete (Object.prototype as Record<string, unknown>)[k];
});

function expectClean() {
  expect(({} as Record<string, unknown>).enabled).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('enabled');
}

describe('prototype pollution: the --set family', () => {
  it.each<[SetFlag, string]>([
    ['set', '__proto__.enabled=false'],
    ['set', 'constructor.prototype.enabled=false'],
    ['set', '__proto__[0]=x,polluted=1'],
    ['set', 'a.__proto__.enabled=false'],
    ['set-string', '__proto__.enabled=false'],
    ['set-json', '__proto__={"enabled":false}'],
    ['set-json', 'a={"__proto__":{"enabled":false}}'],
    ['set-literal', '__proto__.enabled=false'],
  ])('--%s %s stays a plain key', (flag, input) => {
    const u = loadUserValues({ sources: [{ kind: flag, value: input }], env: {} });
    expectClean();
    const top = Object.keys(u.values)[0];
    expect(Object.prototype.hasOwnProperty.call(u.values, top)).toBe(true);
    // Whole components are still enabled: nothing was read through a polluted prototype.
    const e = buildExpected(u);
    expect([e.prometheus.enabled, e.grafana.enabled, e.nodeExporter.enabled, e.alertmanager.enabled]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('prototype pollution: values files and merging', () => {
  it('keeps __proto__, constructor and prototype keys of a file as plain keys', () => {
    const text = [
      '__proto__:',
      '  enabled: false',
      'constructor:',
      '  prototype:',
      '    enabled: false',
      'grafana:',
      '  __proto__: {enabled: false}',
      '  prototype: {polluted: true}',
    ].join('\n');
    const v = parseValuesText(text, 'evil.yaml');
    expectClean();
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'grafana']);
    expect(JSON.parse(JSON.stringify(v))).toEqual(
      JSON.parse(
        '{"__proto__":{"enabled":false},"constructor":{"prototype":{"enabled":false}},"grafana":{"__proto__":{"enabled":false},"prototype":{"polluted":true}}}',
      ),
    );
    const merged = mergeValues(v, parseValuesText('__proto__: {polluted: 1}\n', 'b.yaml'));
    expectClean();
    expect(JSON.parse(JSON.stringify(merged)).__proto__).toEqual({ enabled: false, polluted: 1 });
    expect(buildExpected({ values: merged }).grafana.enabled).toBe(true);
  });

  it('merges a __proto__ map coming from JSON.parse (a release config) without touching prototypes', () => {
    const release = JSON.parse('{"__proto__":{"enabled":false}}');
    mergeValues(parseValuesText('a: 1\n', 'a.yaml'), release);
    expectClean();
  });
});
