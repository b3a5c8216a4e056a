/**
 * expectationFromFiles keeps the last expectation it built: the same request with files that still
 * read the same gives it again; a file that changed, another flag or another environment builds a
 * new one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectationFromFiles } from '../../../lib/verify/expectation';
import type { VerifyRequest } from '../../../lib/verify/request';

const LAB_VALUES = readFileSync(join(__dirname, '../../../examples/monitor-values.yaml'), 'utf8');

function request(over: Partial<VerifyRequest> = {}): VerifyRequest {
  return {
    source: { snapshotFile: 'unused.json' },
    valuesFiles: ['values.yaml'],
    sets: [],
    env: { MyDomain: 'example.com', CERT_ARN: 'arn:aws:acm:ap-northeast-2:111122223333:certificate/abc' },
    ...over,
  };
}

describe('expectationFromFiles across runs', () => {
  let files: Map<string, string>;
  let reads: string[];
  const readFile = (path: string) => {
    reads.push(path);
    const text = files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
  beforeEach(() => {
    files = new Map([['values.yaml', LAB_VALUES]]);
    reads = [];
  });

  it('gives the same expectation for the same request and files, and still reads the files each time', () => {
    const first = expectationFromFiles(request(), readFile);
    const second = expectationFromFiles(request(), readFile);
    expect(second.expected).toEqual(first.expected);
    expect(second.notes).toEqual(first.notes);
    expect(reads).toEqual(['values.yaml', 'values.yaml']);
    // A caller adding notes to one run's expectation does not add them to the next.
    first.notes.push('a note of the first run');
    expect(expectationFromFiles(request(), readFile).notes).not.toContain('a note of the first run');
  });

  it('builds anew when a file changed between runs', () => {
    const before = expectationFromFiles(request(), readFile);
    expect(before.expected.prometheus.retention).toBe('5d');
    files.set('values.yaml', LAB_VALUES.replace(/retention: 5d/, 'retention: 9d'));
    expect(expectationFromFiles(request(), readFile).expected.prometheus.retention).toBe('9d');
  });

  it('builds anew for another --set, another environment value, or a file that is gone', () => {
    expectationFromFiles(request(), readFile);
    const set = expectationFromFiles(request({ sets: ['prometheus.prometheusSpec.retention=2d'] }), readFile);
    expect(set.expected.prometheus.retention).toBe('2d');
    const env = expectationFromFiles(request({ env: { ...request().env, MyDomain: 'other.org' } }), readFile);
    expect(env.expected.domain).toBe('other.org');
    files.delete('values.yaml');
    expect(() => expectationFromFiles(request({ env: { ...request().env, MyDomain: 'other.org' } }), readFile)).toThrow(
      /values\.yaml/,
    );
  });
});

describe('expectationFromFiles and the environment', () => {
  const files = new Map([['values.yaml', LAB_VALUES]]);
  const readFile = (path: string) => files.get(path) ?? '';

  it('reuses the expectation when only variables the files do not reference changed (a Lambda invocation sets its own trace id)', () => {
    const env = request().env;
    const first = expectationFromFiles(request({ env: { ...env, _X_AMZN_TRACE_ID: 'Root=1-aaaa' } }), readFile);
    const second = expectationFromFiles(request({ env: { ...env, _X_AMZN_TRACE_ID: 'Root=1-bbbb' } }), readFile);
    expect(second.expected).toBe(first.expected);
    const gone = expectationFromFiles(request({ env: { ...env, _X_AMZN_TRACE_ID: undefined } }), readFile);
    expect(gone.expected).toBe(first.expected);
  });

  it('builds anew when a referenced variable is set, changed or unset', () => {
    files.set('values.yaml', LAB_VALUES);
    const base = { MyDomain: 'example.com' };
    const unset = expectationFromFiles(request({ env: base }), readFile);
    expect(unset.notes.join('\n')).toMatch(/unset variables: .*CERT_ARN/);
    const set = expectationFromFiles(
      request({ env: { ...base, CERT_ARN: 'arn:aws:acm:x:1:certificate/y' } }),
      readFile,
    );
    expect(set.expected).not.toBe(unset.expected);
    expect(set.notes.join('\n')).not.toMatch(/CERT_ARN/);
    const again = expectationFromFiles(request({ env: base }), readFile);
    expect(again.notes.join('\n')).toMatch(/unset variables: .*CERT_ARN/);
    const other = expectationFromFiles(request({ env: { MyDomain: 'other.org' } }), readFile);
    expect(other.expected.domain).toBe('other.org');
  });
});
