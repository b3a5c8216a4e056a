/**
 * The CLI process keeps its exit contract under unlucky I/O: an AWS endpoint that accepts the
 * connection and never answers does not keep the process alive after the report is written, and
 * stdout on a full disk or a closed pipe gives no stack trace.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LIVE_LAB_ARGS, startLabFakes, type LabFakes } from '../support/fakes/lab';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/stackcheck.js');
let lab: LabFakes;
let blackHole: Server;
const sockets = new Set<Socket>();
let blackHoleUrl: string;

beforeAll(async () => {
  lab = await startLabFakes();
  // Accepts every connection, reads the request, never answers.
  blackHole = createServer((s) => {
    sockets.add(s);
    s.on('data', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const addr = blackHole.address();
  blackHoleUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
  await lab.stop();
});

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdio: { stdout?: 'pipe' | number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...env, NO_COLOR: '1' },
      stdio: ['ignore', stdio.stdout ?? 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describe('cli: exits with its code whatever is still open', () => {
  it('an ELBv2 endpoint that never answers: the report is written and the process exits', async () => {
    const r = await run([...LIVE_LAB_ARGS, '--timeout', '5', '-q'], {
      ...process.env,
      ...lab.env,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: blackHoleUrl,
    });
    // If the process did not exit, this test would hit jest's timeout instead.
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.results.filter((x: { check: string; status: string }) => x.check === 'alb')).toEqual(
      expect.arrayContaining([expect.objectContaining({ status: 'error' })]),
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  }, 45_000);
});

describe('cli: stdout that cannot be written', () => {
  const SNAPSHOT = ['verify', '-q', '--snapshot', join(ROOT, 'examples/healthy-snapshot.json'), '--format', 'json'];

  (existsSync('/dev/full') ? it : it.skip)(
    'a full disk: one line naming stdout, exit 2, no stack trace',
    async () => {
      const { openSync, closeSync } = await import('node:fs');
      const fd = openSync('/dev/full', 'w');
      try {
        const r = await run(SNAPSHOT, process.env, { stdout: fd });
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^stackcheck: cannot write the report to stdout: no space left on device \(ENOSPC\)$/m);
        expect(r.err).not.toMatch(/\n\s+at /);
      } finally {
        closeSync(fd);
      }
    },
    30_000,
  );

  it('a closed pipe (| head -c1): exits quietly', async () => {
    const r = await new Promise<{ code: number | null; err: string; out: string }>((resolve) => {
      const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" ${SNAPSHOT.join(' ')} | head -c1`], {
        cwd: ROOT,
        env: process.env,
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, out, err }));
    });
    expect(r.out).toBe('{');
    expect(r.err).toBe('');
  }, 30_000);
});
