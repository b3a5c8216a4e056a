import { HEALTHY_EXAMPLE, LAB_VALUES_ARGS, runMain } from '../../support/cli';
/**
 * Issue 13.7 (values) and 13.4 through the CLI: hostile or oversized values input is exit 2 with
 * one line naming the file or flag and the limit, never an internal error or minutes of CPU; and
 * `--set __proto__.…` cannot switch the bundled example's components off.
 */
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readBoundedStream } from '../../../lib/cli/main';
import { ConfigError } from '../../../lib/errors';

const HEALTHY = HEALTHY_EXAMPLE;
const LAB = LAB_VALUES_ARGS;
const MiB = 1024 * 1024;

const run = (args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) => runMain(args, opts);

function tmp(name: string, content: string | number): string {
  const dir = mkdtempSync(join(tmpdir(), 'stackcheck-bounds-'));
  const file = join(dir, name);
  if (typeof content === 'number') {
    writeFileSync(file, '');
    truncateSync(file, content); // sparse: the size is checked before anything is read
  } else writeFileSync(file, content);
  return file;
}

/** A "billion laughs" document: 9 levels of 9 aliases, 9^9 strings if expanded. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1];
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('cli: bounded values input (exit 2, naming the input and the limit)', () => {
  const base = ['verify', '--snapshot', HEALTHY];

  it('a YAML alias bomb in a values file', async () => {
    const file = tmp('bomb.yaml', aliasBomb());
    const r = await run([...base, '--values', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `^stackcheck: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the document expands its aliases excessively`,
      ),
    );
    expect(r.err.split('\n')).toHaveLength(2);
  });

  it('a YAML alias bomb on standard input', async () => {
    const r = await run([...base, '-f', '-'], { stdin: aliasBomb() });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --values -: the document expands its aliases excessively/);
  });

  it('a 10 000-level --set key', async () => {
    const key = Array.from({ length: 10_000 }, () => 'a').join('.');
    const r = await run([...base, '--set', `${key}=1`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --set "a\.a\.a.*\.\.\.": key nests deeper than 30 levels/);
    expect(r.err.length).toBeLessThan(300);
  });

  it('10 000 nested list indexes in a --set key', async () => {
    const r = await run([...base, '--set', `a${'[0]'.repeat(10_000)}=1`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --set "a\[0\].*": key nests more than 30 list indexes/);
  });

  it('a 10 000-level --set-json value', async () => {
    const r = await run([...base, '--set-json', `a=${'['.repeat(10_000)}${']'.repeat(10_000)}`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --set-json ".*": .*nested deeper than 500 levels/);
  });

  it('a values file nested 2 000 levels deep: past what the YAML reader can follow, the message names the limit', async () => {
    const file = tmp('deep.yaml', `a: ${'['.repeat(2000)}${']'.repeat(2000)}\n`);
    const r = await run([...base, '--values', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}: maps and lists are nested`);
    expect(r.err).toMatch(/nested (deeper than 500 levels|too deeply to read .*\(the limit is 500 levels\))\n$/);
  });

  // Maps nested `depth` levels deep (the innermost one holds b: 1); and lists of maps, two levels a line.
  const nestedMaps = (depth: number) =>
    Array.from({ length: depth - 1 }, (_, i) => `${' '.repeat(i)}a:\n`).join('') + `${' '.repeat(depth - 1)}b: 1\n`;
  const nestedListsOfMaps = (lines: number) =>
    'x:\n' +
    Array.from({ length: lines }, (_, i) => `${' '.repeat(i * 2 + 2)}- a:\n`).join('') +
    `${' '.repeat(lines * 2 + 2)}  b: 1\n`;

  // [what, the text at the limit, the text one step past it, where the message points]
  it.each([
    ['maps', nestedMaps(500), nestedMaps(501), '(line 501, column 501)'],
    ['lists of maps (two levels a line)', nestedListsOfMaps(249), nestedListsOfMaps(250), '(line 251, column 503)'],
  ])(
    '%s 500 levels deep are read; one step more is refused, naming the limit and where',
    async (_, at, past, where) => {
      const ok = await run([...base, '--values', tmp('at.yaml', at)]);
      expect(ok.err).toBe('');
      expect(ok.code).not.toBe(2);
      const file = tmp('past.yaml', past);
      const over = await run([...base, '--values', file]);
      expect(over.code).toBe(2);
      expect(over.err).toBe(`stackcheck: ${file}: maps and lists are nested deeper than 500 levels ${where}\n`);
    },
  );

  it('a values file over 32 MiB', async () => {
    const file = tmp('huge.yaml', 32 * MiB + 1);
    const r = await run([...base, '--values', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stackcheck: --values ${file}: the file is larger than the 32 MiB limit\n`);
  });

  it('an endless device or pipe as a values file (/dev/zero) stops at 32 MiB', async () => {
    const r = await run([...base, '--values', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('stackcheck: --values /dev/zero: the file is larger than the 32 MiB limit\n');
  });

  it('a --set-file over 32 MiB', async () => {
    const file = tmp('huge.txt', 32 * MiB + 1);
    const r = await run([...base, '--set-file', `cfg=${file}`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^stackcheck: --set-file ".*": file .*huge\.txt: the file is larger than the 32 MiB limit\n$/,
    );
  });

  it('standard input over 32 MiB', async () => {
    const r = await run([...base, '--values', '-'], { stdin: `a: ${'x'.repeat(32 * MiB)}\n` });
    expect(r.code).toBe(2);
    expect(r.err).toBe('stackcheck: --values -: standard input is larger than the 32 MiB limit\n');
  });

  it('reading standard input stops at the limit instead of buffering it all', async () => {
    let chunks = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          chunks++;
          yield Buffer.alloc(MiB, 0x61);
        }
      })(),
    );
    await expect(readBoundedStream(endless, 32 * MiB)).rejects.toThrow(
      new ConfigError('--values -: standard input is larger than the 32 MiB limit'),
    );
    expect(chunks).toBeLessThanOrEqual(34);
  });

  it('${VAR} expansion past 32 MiB', async () => {
    const file = tmp('expand.yaml', `${Array.from({ length: 10_000 }, (_, i) => `k${i}: \${BIG}`).join('\n')}\n`);
    const r = await run([...base, '--values', file, '--env', `BIG=${'x'.repeat(4096)}`]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `stackcheck: --values ${file}: substituting environment variables makes the text larger than the 32 MiB limit\n`,
    );
  });
});

describe('cli: --set __proto__ on the bundled example (issue 13.4)', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).enabled;
  });

  it('components stay enabled: every check but HELM003 gives the same result, HELM003 names the plain key', async () => {
    const plainRun = await run(['verify', '--snapshot', HEALTHY, ...LAB, '--format', 'json']);
    const evil = await run([
      'verify',
      '--snapshot',
      HEALTHY,
      ...LAB,
      '--set',
      '__proto__.enabled=false',
      '--set',
      'constructor.prototype.enabled=false',
      '--format',
      'json',
    ]);
    expect(({} as Record<string, unknown>).enabled).toBeUndefined();
    const a = JSON.parse(plainRun.out);
    const b = JSON.parse(evil.out);
    expect(a.summary).toMatchObject({ pass: 62, fail: 1 });
    const statuses = (r: { results: Array<{ code: string; status: string }> }) =>
      r.results.filter((x) => x.code !== 'HELM003').map((x) => `${x.code} ${x.status}`);
    expect(statuses(b)).toEqual(statuses(a));
    // Helm would have recorded those keys as given; the release has none, so the values differ.
    const helm003 = b.results.find((x: { code: string }) => x.code === 'HELM003');
    expect(helm003.status).toBe('fail');
    expect(helm003.message).toMatch(/differ at __proto__/);
    expect(evil.code).toBe(plainRun.code);
  });
});
