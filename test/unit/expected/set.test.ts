/**
 * The --set family as Helm's strvals parser reads it. Cases follow Helm's pkg/strvals tests
 * (parser_test.go, literal_parser_test.go) and the parser's documented rules; `base` is what the
 * values files gave before the flag is applied into it (Helm's ParseInto).
 */
import { ConfigError } from '../../../lib/errors';
import { applySet, helmOrder, loadUserValues, valueSourcesFromEnv, type SetFlag } from '../../../lib/expected';
import { newMap } from '../../../lib/expected/yaml';

type Case = { flag?: SetFlag; base?: Record<string, unknown>; input: string; want?: unknown; error?: RegExp };

/** JSON-shaped copy (null-prototype maps become plain ones) for comparison. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
const nested = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`).join('.');

const CASES: Array<[string, Case]> = [
  // --set: types
  ['null, false, true', { input: 'name1=null,f=false,t=true', want: { name1: null, f: false, t: true } }],
  [
    'booleans and null in any case',
    { input: 'a=True,b=FALSE,c=NULL,d=tRuE', want: { a: true, b: false, c: null, d: true } },
  ],
  ['zero is a number', { input: 'zero_int=0', want: { zero_int: 0 } }],
  ['an integer', { input: 'long_int=1234567890', want: { long_int: 1234567890 } }],
  ['signed integers, a sign before zeros', { input: 'neg=-7,plus=+5,n=-007', want: { neg: -7, plus: 5, n: -7 } }],
  ['leading zeros stay a string', { input: 'leading_zeros=00009', want: { leading_zeros: '00009' } }],
  ['past int64 stays a string', { input: 'big=9223372036854775808', want: { big: '9223372036854775808' } }],
  ['floats, durations stay strings', { input: 'f=1.5,e=1e3,d=15s', want: { f: '1.5', e: '1e3', d: '15s' } }],
  // --set: syntax
  ['two keys', { input: 'name1=value1,name2=value2', want: { name1: 'value1', name2: 'value2' } }],
  ['a trailing comma', { input: 'name1=value1,name2=value2,', want: { name1: 'value1', name2: 'value2' } }],
  [
    'empty pairs between commas',
    { input: 'name1=value1,,,,name2=value2,', error: /key "" has no value \(cannot end with ,\)/ },
  ],
  ['an empty value', { input: 'name1=,name2=value2', want: { name1: '', name2: 'value2' } }],
  ['a key without a value', { input: 'name1,name2=', error: /key "name1" has no value/ }],
  ['keys without values', { input: 'name1,name2', error: /key "name1" has no value/ }],
  ['escaped commas', { input: 'name1=one\\,two,name2=three\\,four', want: { name1: 'one,two', name2: 'three,four' } }],
  ['escaped equals', { input: 'name1=one\\=two', want: { name1: 'one=two' } }],
  ['an unescaped = in a value', { input: 'a=b=c', want: { a: 'b=c' } }],
  ['spaces in values', { input: 'name1=one two three', want: { name1: 'one two three' } }],
  ['a trailing backslash is dropped', { input: 'a=x\\', want: { a: 'x' } }],
  [
    'escaped dots in a key',
    {
      input: 'annotations.alb\\.ingress\\.kubernetes\\.io/scheme=internal',
      want: { annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal' } },
    },
  ],
  ['an empty argument sets nothing', { input: '', want: {} }],
  ['an empty key is ignored', { input: '=x', want: {} }],
  // --set: maps
  ['nested maps', { input: 'outer.middle.inner=value', want: { outer: { middle: { inner: 'value' } } } }],
  [
    'siblings in a nested map',
    {
      input: 'outer.inner1=value,outer.middle.inner=value',
      want: { outer: { inner1: 'value', middle: { inner: 'value' } } },
    },
  ],
  ['a map key without a value', { input: 'name1.name2', error: /key "name2" has no value/ }],
  ['an empty nested value', { input: 'name1.name2=', want: { name1: { name2: '' } } }],
  ['an empty last key part', { input: 'name1.=name2', error: /key map "name1" has no value/ }],
  [
    '30 nested levels are allowed',
    {
      input: `${nested(31)}=v`,
      want: nested(31)
        .split('.')
        .reduceRight<unknown>((acc, k) => ({ [k]: acc }), 'v'),
    },
  ],
  ['31 nested levels are refused', { input: `${nested(32)}=v`, error: /nests deeper than 30 levels/ }],
  // --set: lists
  ['a {list}', { input: 'name1={value1,value2}', want: { name1: ['value1', 'value2'] } }],
  ['a {list} of numbers', { input: 'name1={1021,902}', want: { name1: [1021, 902] } }],
  ['typed items in a {list}', { input: 'a={true,null,x}', want: { a: [true, null, 'x'] } }],
  ['{} is a list of one empty string', { input: 'a={}', want: { a: [''] } }],
  ['an unterminated {list}', { input: 'name1={1021,902', error: /list must terminate with '}'/ }],
  ['an index', { input: 'list[0]=foo', want: { list: ['foo'] } }],
  [
    'maps in a list',
    { input: 'list[0].foo=bar,list[0].hello=world', want: { list: [{ foo: 'bar', hello: 'world' }] } },
  ],
  ['a gap is filled with null', { input: 'list[0]=foo,list[3]=bar', want: { list: ['foo', null, null, 'bar'] } }],
  ['a negative index', { input: 'list[0]=foo,list[-20]=bar', error: /negative -20 index not allowed/ }],
  ['a non-numeric index', { input: 'a[x]=1', error: /list index "x" is not a number/ }],
  ['an index above 65536', { input: 'a[65537]=x', error: /greater than the maximum supported index of 65536/ }],
  [
    'a name after an index',
    { input: 'illegal[0]name.foo=bar', error: /unexpected data at end of array index: "name"/ },
  ],
  ['an index without a value', { input: 'noval[0]', want: { noval: [] } }],
  ['an index with an empty value', { input: 'noval[0]=', want: { noval: [''] } }],
  ['nested indexes', { input: 'nested[0][0]=1', want: { nested: [[1]] } }],
  ['nested indexes with gaps', { input: 'nested[1][1]=1', want: { nested: [null, [null, 1]] } }],
  [
    'list items out of order',
    {
      input: 'name1.name2[1].foo=bar,name1.name2[0].foo=bar',
      want: { name1: { name2: [{ foo: 'bar' }, { foo: 'bar' }] } },
    },
  ],
  ['a key over a list', { input: ']={}].', error: /cannot set a key inside \]: it is a list, not a map/ }],
  // --set into the values files gave (Helm's ParseInto)
  [
    'overwrites and adds beside file values',
    {
      base: { outer: { inner1: 'overwrite', inner2: 'value2' } },
      input: 'outer.inner1=value1,outer.inner3=value3,outer.inner4=4',
      want: { outer: { inner1: 'value1', inner2: 'value2', inner3: 'value3', inner4: 4 } },
    },
  ],
  ["an index changes the file's list", { base: { a: [1, 2, 3] }, input: 'a[1]=x', want: { a: [1, 'x', 3] } }],
  [
    'a map key into a non-map item replaces it',
    { base: { a: [1, 's'] }, input: 'a[1].b=x', want: { a: [1, { b: 'x' }] } },
  ],
  [
    'nested lists merge',
    {
      base: { l: [[[{ exited: 'old' }]]] },
      input: 'l[0][0][1].status=alive',
      want: { l: [[[{ exited: 'old' }, { status: 'alive' }]]] },
    },
  ],
  [
    'a key inside a string',
    { base: { a: 'str' }, input: 'a.b=1', error: /cannot set a key inside a: it is a string, not a map/ },
  ],
  [
    'a key inside null',
    { base: { a: null }, input: 'a.b=1', error: /cannot set a key inside a: it is null, not a map/ },
  ],
  ['an index on a map', { base: { a: { x: 1 } }, input: 'a[0]=1', error: /cannot index a: it is a map, not a list/ }],
  ['null replaces a map (it deletes the chart default)', { base: { a: { b: 1 } }, input: 'a=null', want: { a: null } }],
  // --set-string
  [
    '--set-string keeps strings',
    {
      flag: 'set-string',
      input: 'long_int_string=1234567890,boolean=true,is_null=null,zero=0',
      want: { long_int_string: '1234567890', boolean: 'true', is_null: 'null', zero: '0' },
    },
  ],
  ['--set-string list items', { flag: 'set-string', input: 'a={1,true}', want: { a: ['1', 'true'] } }],
  [
    '--set-string into file values',
    {
      flag: 'set-string',
      base: { outer: { inner1: 'overwrite', inner2: 'value2' } },
      input: 'outer.inner1=1,outer.inner3=3',
      want: { outer: { inner1: '1', inner2: 'value2', inner3: '3' } },
    },
  ],
  // --set-json
  [
    '--set-json scalars',
    {
      flag: 'set-json',
      base: { outer: { inner1: 'overwrite', inner2: 'value2' } },
      input: 'outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true"',
      want: { outer: { inner1: '1', inner2: 'value2', inner3: 3, inner4: true, inner5: 'true' } },
    },
  ],
  [
    '--set-json objects and arrays replace whole',
    {
      flag: 'set-json',
      base: { outer: { inner1: { x: 'overwrite' }, inner3: ['overwrite'] } },
      input: 'outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"]',
      want: { outer: { inner1: { a: '1', b: 2, c: [1, 2, 3] }, inner3: ['new value 1', 'new value 2'] } },
    },
  ],
  [
    '--set-json empty is null; an index into the JSON',
    {
      flag: 'set-json',
      base: { outer: { inner1: { x: 'overwrite' }, inner2: 'value2' } },
      input: 'outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null',
      want: { outer: { inner1: null, inner2: 'value2', inner3: { aa: '1', bb: 2, cc: [1, null, 3] } } },
    },
  ],
  ['--set-json 1.0 is the number 1', { flag: 'set-json', input: 'a=1.0,b="x,y"', want: { a: 1, b: 'x,y' } }],
  ['--set-json syntax error', { flag: 'set-json', input: 'a={"A":"1","B":2}]', error: /has no value|invalid JSON/ }],
  ['--set-json broken JSON', { flag: 'set-json', input: 'a={"b":1', error: /invalid JSON value/ }],
  // --set-literal
  [
    '--set-literal keeps commas, escapes and braces',
    { flag: 'set-literal', input: 'a.b=x,y=z\\n{c}', want: { a: { b: 'x,y=z\\n{c}' } } },
  ],
  ['--set-literal into a list', { flag: 'set-literal', input: 'list[1]=a,b', want: { list: [null, 'a,b'] } }],
  ['--set-literal does not type', { flag: 'set-literal', input: 'a=true', want: { a: 'true' } }],
  ['--set-literal key without value', { flag: 'set-literal', input: 'a.b', error: /key "b" has no value/ }],
];

describe('--set family: Helm strvals cases', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)('%s', (_name, c) => {
    const flag = c.flag ?? 'set';
    const target = c.base ? (JSON.parse(JSON.stringify(c.base)) as Record<string, unknown>) : newMap();
    if (c.error) {
      let thrown: unknown;
      try {
        applySet(target, c.input, flag);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as Error).message).toMatch(c.error);
      expect((thrown as Error).message.startsWith(`--${flag} `)).toBe(true);
      return;
    }
    applySet(target, c.input, flag);
    expect(plain(target)).toEqual(c.want);
  });

  it('--set-file reads each value as a file path, - as standard input, and names a missing file', () => {
    const read = (p: string) => {
      if (p === 'ca.pem') return '-----BEGIN CERTIFICATE-----\nMIIB\n';
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    const u = loadUserValues(
      {
        sources: [
          { kind: 'set-file', value: 'tls.ca=ca.pem' },
          { kind: 'set-file', value: 'script=-' },
        ],
        env: {},
        stdin: 'echo hi\n',
      },
      read,
    );
    expect(plain(u.values)).toEqual({ tls: { ca: '-----BEGIN CERTIFICATE-----\nMIIB\n' }, script: 'echo hi\n' });
    expect(() => loadUserValues({ sources: [{ kind: 'set-file', value: 'a=nope.txt' }], env: {} }, read)).toThrow(
      '--set-file "a=nope.txt": file nope.txt: cannot read the file: no such file',
    );
  });

  it('applies the flags in Helm order: files, --set-json, --set, --set-string, --set-file, --set-literal', () => {
    const read = (p: string) =>
      p === 'v.yaml' ? 'a: file\nb: file\nc: file\nd: file\ne: file\nf: file\n' : 'from-file';
    const u = loadUserValues(
      {
        // Given in the opposite order on purpose: the kind decides, not the position.
        sources: [
          { kind: 'set-literal', value: 'e=literal' },
          { kind: 'set-file', value: 'd=x.txt' },
          { kind: 'set-file', value: 'e=x.txt' },
          { kind: 'set-string', value: 'c=string,d=string' },
          { kind: 'set', value: 'b=set,c=set,d=set' },
          { kind: 'set-json', value: 'a="json",b="json",c="json"' },
          { kind: 'values', file: 'v.yaml' },
        ],
        env: {},
      },
      read,
    );
    expect(plain(u.values)).toEqual({ a: 'json', b: 'set', c: 'string', d: 'from-file', e: 'literal', f: 'file' });
    expect(u.origins.c).toBe('--set-string "c=string,d=string"');
    expect(u.origins.f).toBe('v.yaml');
  });
});

describe('the Lambda environment gives the same ordered sources as the CLI', () => {
  it('reads VALUES_FILE and each VALUES_SET* list into Helm order', () => {
    const sources = valueSourcesFromEnv({
      VALUES_FILE: '/var/task/monitor-values.yaml',
      VALUES_SET_LITERAL: '["grafana.adminPassword=a,b"]',
      VALUES_SET: '["prometheus.prometheusSpec.scrapeInterval=15s","a=1"]',
      VALUES_SET_STRING: '["b=2"]',
      VALUES_SET_JSON: '["c={\\"d\\":1}"]',
      VALUES_SET_FILE: '["e=/var/task/e.txt"]',
    });
    expect(sources).toEqual([
      { kind: 'values', file: '/var/task/monitor-values.yaml' },
      { kind: 'set-json', value: 'c={"d":1}' },
      { kind: 'set', value: 'prometheus.prometheusSpec.scrapeInterval=15s' },
      { kind: 'set', value: 'a=1' },
      { kind: 'set-string', value: 'b=2' },
      { kind: 'set-file', value: 'e=/var/task/e.txt' },
      { kind: 'set-literal', value: 'grafana.adminPassword=a,b' },
    ]);
    // The CLI builds the same list from its flags, whatever order they were typed in.
    expect(
      helmOrder([
        { kind: 'set-literal', value: 'grafana.adminPassword=a,b' },
        { kind: 'set', value: 'prometheus.prometheusSpec.scrapeInterval=15s' },
        { kind: 'values', file: '/var/task/monitor-values.yaml' },
        { kind: 'set-file', value: 'e=/var/task/e.txt' },
        { kind: 'set', value: 'a=1' },
        { kind: 'set-string', value: 'b=2' },
        { kind: 'set-json', value: 'c={"d":1}' },
      ]),
    ).toEqual(sources);
  });

  it('accepts a JSON list of files and nothing at all', () => {
    expect(valueSourcesFromEnv({ VALUES_FILE: '["a.yaml","b.yaml"]' })).toEqual([
      { kind: 'values', file: 'a.yaml' },
      { kind: 'values', file: 'b.yaml' },
    ]);
    expect(valueSourcesFromEnv({ VALUES_SET: '' })).toEqual([]);
  });

  it.each([
    ['VALUES_SET', 'a=1', /environment variable VALUES_SET is not valid JSON/],
    ['VALUES_SET_JSON', '{"a":1}', /environment variable VALUES_SET_JSON must be a JSON list of strings/],
    ['VALUES_SET_STRING', '[1]', /environment variable VALUES_SET_STRING must be a JSON list of strings/],
  ])('names a malformed %s', (name, value, why) => {
    expect(() => valueSourcesFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => valueSourcesFromEnv({ [name]: value })).toThrow(why);
  });
});
