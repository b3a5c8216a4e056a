import { DRIFTED_EXAMPLE, HEALTHY_EXAMPLE, LAB_VALUES_ARGS, runMain } from '../../support/cli';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../../lib/cli/main';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HEALTHY = HEALTHY_EXAMPLE;
const DRIFTED = DRIFTED_EXAMPLE;
const LAB = LAB_VALUES_ARGS;

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runMain(args, { env });

describe('cli: verify on a snapshot', () => {
  it('exits 0 on the healthy example', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, ...LAB]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n\d+ passed, 1 failed, 0 errors, \d+ skipped\n$/);
  });

  it('exits 1 on the drifted example and 0 with only warnings failing when --fail-on critical', async () => {
    expect((await run(['verify', '--snapshot', DRIFTED, ...LAB])).code).toBe(1);
    expect((await run(['verify', '--snapshot', HEALTHY, ...LAB, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('uses the values recorded in the release when no --values/--set are given, and says so', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/values recorded in release kube-prometheus-stack revision 2/);
    const report = JSON.parse(r.out);
    expect(report.results.find((x: { code: string }) => x.code === 'HELM003').status).toBe('skip');
  });

  it('a selection where no check runs is not a pass: exit 2, noChecksRan in the report', async () => {
    // the heartbeat is read from a live --state store, never from a snapshot: it is skipped
    const r = await run(['verify', '--snapshot', HEALTHY, '--checks', 'heartbeat', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('stackcheck: no check ran: every selected check was skipped (--checks heartbeat)');
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ outcome: 'fail', noChecksRan: true, summary: { pass: 0, fail: 0, error: 0 } });
    const text = await run(['verify', '--snapshot', HEALTHY, '--checks', 'heartbeat']);
    expect(text.out).toContain('no check ran: every selected check was skipped');
    expect(text.out).not.toContain('PASS');
  });

  it('a selection that leaves no family says so, naming --checks and --skip, in stderr, text and Markdown', async () => {
    const args = ['verify', '--snapshot', HEALTHY, '--checks', 'alb', '--skip', 'alb'];
    const text = await run(args);
    expect(text.code).toBe(2);
    expect(text.err).toContain('stackcheck: no check ran: no check was selected (--checks alb --skip alb)');
    expect(text.out).toContain('no check ran: no check was selected (--checks and --skip left none)');
    expect(text.out).not.toContain('skipped (see the reasons above)');
    const md = await run([...args, '-o', 'markdown']);
    expect(md.out).toContain('**No check ran**: no check was selected (--checks and --skip left none).');
  });

  it('filters families with --checks and --skip', async () => {
    const only = JSON.parse(
      (await run(['verify', '--snapshot', HEALTHY, ...LAB, '--checks', 'alb,certificate', '--format', 'json'])).out,
    );
    expect(new Set(only.results.map((x: { check: string }) => x.check))).toEqual(new Set(['alb', 'certificate']));
    const skipped = JSON.parse(
      (await run(['verify', '--snapshot', HEALTHY, ...LAB, '--skip', 'alb', '--format', 'json'])).out,
    );
    expect(skipped.results.some((x: { check: string }) => x.check === 'alb')).toBe(false);
  });

  it('writes --output and --record; the recorded snapshot replays to the same JSON report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    const a = await run([
      'verify',
      '--snapshot',
      DRIFTED,
      ...LAB,
      '--format',
      'json',
      '--record',
      join(dir, 'rec.json'),
      '--output',
      join(dir, 'a.json'),
    ]);
    expect(a.code).toBe(1);
    const b = await run([
      'verify',
      '--snapshot',
      join(dir, 'rec.json'),
      ...LAB,
      '--format',
      'json',
      '--output',
      join(dir, 'b.json'),
    ]);
    expect(b.code).toBe(1);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
  });
});

describe('cli: --output -', () => {
  it('writes the report to standard output, not to a file named -', async () => {
    const r = await run(['verify', '--snapshot', HEALTHY, '-o', 'json', '--output', '-']);
    expect(r.code).toBe(0);
    expect(r.err).not.toContain('report written');
    expect(JSON.parse(r.out).tool).toBe('stackcheck');
    expect(existsSync('-')).toBe(false);
  });
});

describe('cli: bad usage and configuration exit 2 with one clear line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no source', ['verify'], /needs a source/],
    ['two sources', ['verify', '--snapshot', HEALTHY, '--cluster', 'x'], /exactly one source/],
    [
      'missing snapshot',
      ['verify', '--snapshot', '/nonexistent/snap.json'],
      /--snapshot \/nonexistent\/snap.json: cannot read the file: no such file/,
    ],
    [
      'unparsable --set',
      ['verify', '--snapshot', HEALTHY, '--set', 'novalue'],
      /--set "novalue": key "novalue" has no value/,
    ],
    [
      'unknown family',
      ['verify', '--snapshot', HEALTHY, '--checks', 'alb,nope'],
      /--checks: unknown check family nope/,
    ],
    ['bad --env', ['verify', '--snapshot', HEALTHY, '--env', 'noequals'], /--env noequals: expected NAME=VALUE/],
    ['bad format', ['verify', '--snapshot', HEALTHY, '--format', 'pdf'], /pdf/],
    [
      'unknown --notify destination, without --state',
      ['verify', '--snapshot', HEALTHY, '--notify', 'email'],
      /^stackcheck: --notify: unknown destination email \(known: slack, sns\)\n$/,
    ],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a values file that is not YAML names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    writeFileSync(join(dir, 'bad.yaml'), 'prometheus: [unclosed\n');
    const r = await run(['verify', '--snapshot', HEALTHY, '--values', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, 'bad.yaml')}: not valid YAML`);
  });

  it.each([
    ['not JSON', '{"kind": ', /not valid JSON/],
    ['another kind', '{"kind":"Other"}', /invalid snapshot: kind must be "StackcheckSnapshot"/],
    ['a newer schema', '{"kind":"StackcheckSnapshot","schemaVersion":99}', /schemaVersion 99 is not supported/],
  ])('an invalid snapshot (%s) names what is wrong', async (_n, content, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    writeFileSync(join(dir, 's.json'), content);
    const r = await run(['verify', '--snapshot', join(dir, 's.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a snapshot with a broken field names the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stackcheck-'));
    const doc = JSON.parse(readFileSync(HEALTHY, 'utf8'));
    doc.kubernetes.statefulSets = [{ spec: {} }];
    writeFileSync(join(dir, 's.json'), JSON.stringify(doc));
    const r = await run(['verify', '--snapshot', join(dir, 's.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('kubernetes.statefulSets[0] must be a Kubernetes object with metadata.name');
  });
});

describe('cli: explain and help', () => {
  it('explains a code', async () => {
    const r = await run(['explain', 'alb003']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ALB003 — HTTP listener redirects to HTTPS/);
    expect(r.out).toContain('fix:');
  });
  it('rejects an unknown code with exit 2', async () => {
    const r = await run(['explain', 'NOPE001']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown check code NOPE001');
  });
  it('prints help with exit 0', async () => {
    const r = await run(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--snapshot <file>');
    expect(r.out).toContain('Exit codes');
  });
  it('prints the help docs/cli.md shows', async () => {
    const r = await run(['verify', '--help']);
    const doc = readFileSync(join(__dirname, '../../../docs/cli.md'), 'utf8');
    const block = /```\n(Usage: stackcheck verify [\s\S]*?)```/.exec(doc);
    expect(block?.[1].trimEnd()).toBe(r.out.trimEnd());
  });
  it('wraps help to the width of its own stdout, not to the terminal the process (jest) runs in', async () => {
    const at80 = (await run(['verify', '--help'])).out;
    // As when `npx jest this-file` runs in band in a terminal 132 columns wide.
    const saved = Object.getOwnPropertyDescriptors(process.stdout);
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true, writable: true });
    Object.defineProperty(process.stdout, 'columns', { value: 132, configurable: true, writable: true });
    try {
      expect((await run(['verify', '--help'])).out).toBe(at80);
    } finally {
      for (const k of ['isTTY', 'columns'] as const) {
        if (saved[k]) Object.defineProperty(process.stdout, k, saved[k]);
        else delete (process.stdout as unknown as Record<string, unknown>)[k];
      }
    }
    // A terminal of its own, 132 columns: the descriptions take the room.
    let wide = '';
    const io = { stdout: (t: string) => (wide += t), stderr: () => undefined, env: {} };
    await main(['verify', '--help'], { ...io, stdoutIsTTY: true, stderrIsTTY: false, stdoutColumns: 132 });
    expect(wide).not.toBe(at80);
    expect(wide).toContain('--notify-always                with --notify: send the report even when nothing changed\n');
  });
});

describe('cli: --checks and --skip given more than once', () => {
  it('joins the lists instead of keeping the last one', async () => {
    const r = await run([
      'verify',
      '--snapshot',
      HEALTHY,
      ...LAB,
      '--checks',
      'helm',
      '--checks',
      'crds',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const families = new Set((JSON.parse(r.out) as { results: Array<{ check: string }> }).results.map((x) => x.check));
    expect([...families].sort()).toEqual(['crds', 'helm']);
  });
});
