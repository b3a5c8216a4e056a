/**
 * `stackcheck serve` as users run it (the compiled CLI in a child process) and in-process: the
 * state file is checked and locked at start, /healthz reflects the store, errors of --port/--host
 * are exit 2, and /metrics passes the real `promtool check metrics`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { listenError, requestPath, startServer } from '../../lib/cli/serve';
import { UsageError } from '../../lib/errors';
import { FileStore } from '../../lib/state/file';
import { amPayload } from '../unit/alertmanager/payloads';
import { SlackCapture } from '../support/fakes/slack';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin/stackcheck.js');
const TOKEN = 'serve-test-token-77a1';
const tmp = () => join(mkdtempSync(join(tmpdir(), 'stackcheck-serve-')), 'state.json');
const env = { ...process.env, ALERTMANAGER_TOKEN: TOKEN, NO_COLOR: '1' };

/** Runs `stackcheck serve …` expecting it to exit by itself. */
function serveExits(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 30_000 });
  return { code: r.status, err: r.stderr };
}

/** Starts `stackcheck serve …` and waits until it listens. */
async function serveRuns(args: string[]): Promise<{ proc: ChildProcess; url: string; stop: () => Promise<number> }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd: ROOT, env });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    proc,
    url,
    stop: () =>
      new Promise<number>((resolve) => {
        proc.once('exit', (code) => resolve(code ?? -1));
        proc.kill('SIGTERM');
      }),
  };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/alertmanager`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
}, 120_000);

describe('serve --state FILE: checked and locked at start', () => {
  it('exits 2 naming the file when it is not a state file', () => {
    const path = tmp();
    writeFileSync(path, 'not json at all');
    const r = serveExits(['--port', '0', '--state', path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`stackcheck: --state ${path}: not a stackcheck state file`);
  });

  it('exits 2 at once for /dev/full instead of reading it', () => {
    const r = serveExits(['--port', '0', '--state', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--state /dev/full: not a regular file');
  });

  it('refuses a second process on the same file (exit 2, naming the file and the holder), until the first stops', async () => {
    const path = tmp();
    const first = await serveRuns(['--state', path]);
    try {
      const second = serveExits(['--port', '0', '--state', path]);
      expect(second.code).toBe(2);
      expect(second.err).toContain(`--state ${path}: is in use by process ${first.proc.pid} (lock file ${path}.lock)`);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const third = await serveRuns(['--state', path]);
    expect(await third.stop()).toBe(0);
  }, 30_000);

  it('starts over a lock left by a process that was killed', async () => {
    const path = tmp();
    const first = await serveRuns(['--state', path]);
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(first.proc.pid));
    const again = await serveRuns(['--state', path]);
    expect(await again.stop()).toBe(0);
  }, 30_000);
});

describe('serve: --port, --host and --dedup-window errors are exit 2 naming the flag', () => {
  let busy: Server;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it('a port in use', () => {
    const port = (busy.address() as { port: number }).port;
    const r = serveExits(['--port', String(port)]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`stackcheck: --port ${port}: address 127.0.0.1:${port} is already in use\n`);
  });

  it('an address that is not this machine’s', () => {
    const r = serveExits(['--port', '0', '--host', '192.0.2.1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^stackcheck: --host 192\.0\.2\.1: not an address of this machine/);
  });

  it('a port not allowed (EACCES) is named as --port', () => {
    // Root may bind low ports here, so the error is produced the way listen() reports it.
    const fake = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), { code: 'EACCES' });
    expect(listenError(fake, 80, '127.0.0.1')).toEqual(
      new UsageError('--port 80: not allowed to listen on 127.0.0.1:80 (ports below 1024 need privileges)'),
    );
  });

  it('a dedup window that is not whole seconds', () => {
    const r = serveExits(['--port', '0', '--dedup-window', '5m']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--dedup-window "5m": expected whole seconds');
  });
});

describe('serve: /healthz reflects the state store', () => {
  it('answers 503 with the reason while the file cannot be written, and 200 again after', async () => {
    let full = false;
    const store = new FileStore(tmp(), {
      exclusive: true,
      append: async (fd, data) => {
        if (full) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        await fd.appendFile(data);
      },
    });
    const slack = new SlackCapture();
    await slack.start();
    const serve = await startServer({
      port: 0,
      store,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: slack.url },
      log: () => {},
    });
    try {
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${serve.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
      full = true;
      const failed = await post(serve.url, amPayload());
      expect(failed.status).toBeGreaterThanOrEqual(500);
      const health = await fetch(`${serve.url}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { error: string }).error).toMatch(
        /state store cannot be used: cannot write .*: ENOSPC/,
      );
      full = false;
      expect((await post(serve.url, amPayload())).status).toBe(200);
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      expect(slack.posts).toHaveLength(1);
    } finally {
      await serve.close();
      await store.close();
      await slack.stop();
    }
  });

  it('keeps its delivery records across a restart: a retry after the restart is not posted again', async () => {
    const path = tmp();
    const slack = new SlackCapture();
    await slack.start();
    const opts = {
      port: 0,
      state: path,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: slack.url },
      log: () => {},
    };
    const one = await startServer(opts);
    expect((await post(one.url, amPayload())).status).toBe(200);
    await one.close();
    const two = await startServer(opts);
    const again = await post(two.url, amPayload());
    expect(((await again.json()) as { outcomes: unknown }).outcomes).toEqual({ slack: 'duplicate' });
    await two.close();
    await slack.stop();
    expect(slack.posts).toHaveLength(1);
  });
});

describe('serve: GET /metrics in the Prometheus text format', () => {
  it('counts requests by status code, deliveries by destination and result, duplicates, and the heartbeat age; promtool accepts it', async () => {
    const slack = new SlackCapture();
    await slack.start();
    const serve = await startServer({
      port: 0,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: slack.url, STACKCHECK_CLUSTER: 'myeks' },
      log: () => {},
    });
    try {
      expect((await post(serve.url, amPayload())).status).toBe(200);
      expect((await post(serve.url, amPayload())).status).toBe(200); // a retry: duplicate
      slack.failNext('KubePodCrashLooping', 3, 503);
      expect((await post(serve.url, amPayload({}, [{ fingerprint: 'f1' }]))).status).toBe(502);
      const watchdog = amPayload({ commonLabels: { alertname: 'Watchdog' } }, [
        { labels: { alertname: 'Watchdog', severity: 'none', cluster: 'myeks' } },
      ]);
      expect((await post(serve.url, watchdog)).status).toBe(200);
      expect((await fetch(`${serve.url}/alertmanager`, { method: 'POST', body: '{}' })).status).toBe(401);
      const res = await fetch(`${serve.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      expect(text).toContain('stackcheck_webhook_requests_total{code="200"} 3\n');
      expect(text).toContain('stackcheck_webhook_requests_total{code="401"} 1\n');
      expect(text).toContain('stackcheck_webhook_requests_total{code="502"} 1\n');
      expect(text).toContain('stackcheck_webhook_deliveries_total{destination="slack",result="sent"} 1\n');
      expect(text).toContain('stackcheck_webhook_deliveries_total{destination="slack",result="duplicate"} 1\n');
      expect(text).toContain('stackcheck_webhook_deliveries_total{destination="slack",result="failed"} 1\n');
      expect(text).toContain('stackcheck_webhook_duplicates_suppressed_total 1\n');
      const age = /^stackcheck_webhook_heartbeat_age_seconds\{cluster="myeks"\} (\S+)$/m.exec(text);
      expect(Number(age?.[1])).toBeGreaterThanOrEqual(0);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('test-secret-slack-path');
      const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ code: check.status, out: check.stdout + check.stderr }).toEqual({ code: 0, out: '' });
    } finally {
      await serve.close();
      await slack.stop();
    }
  });
});

describe('serve: requests answered as the Lambda answers them', () => {
  /** A POST with the body sent whole (Node's client, so a server that stops reading shows). */
  const send = (url: string, body: Buffer, path = '/alertmanager') =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const r = request(
        `${url}${path}`,
        { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-length': body.length } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        },
      );
      r.on('error', reject);
      r.end(body);
    });

  it('an error that escapes the handler is the Lambda middleware’s 500, and counted', async () => {
    const lines: string[] = [];
    const serve = await startServer({
      port: 0,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/unused' },
      deps: {
        token: async () => {
          throw new Error(`the parameter store said no to ${TOKEN}`);
        },
      },
      log: (l) => lines.push(l),
    });
    try {
      const r = await post(serve.url, amPayload());
      expect(r.status).toBe(500);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(await r.text()).toBe('{"error":"internal error; Alertmanager will retry"}');
      expect(serve.metrics.render()).toContain('stackcheck_webhook_requests_total{code="500"} 1\n');
      expect(lines).toEqual([expect.stringMatching(/^POST \/alertmanager 500 \d+ms$/)]);
    } finally {
      await serve.close();
    }
  });

  it('a handler still running after the timeout is the Lambda’s 500', async () => {
    const serve = await startServer({
      port: 0,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/unused' },
      deps: { token: () => new Promise<string>(() => {}) },
      handlerTimeoutMs: 50,
      log: () => {},
    });
    try {
      const r = await post(serve.url, amPayload());
      expect(r.status).toBe(500);
      expect(await r.text()).toBe('{"error":"internal error; Alertmanager will retry"}');
      expect((await fetch(`${serve.url}/metrics`)).status).toBe(200);
    } finally {
      await serve.close();
    }
  });

  it('a body past the limit is 413 from the handler; past twice the limit 413 without reading it all, and the client gets it', async () => {
    const serve = await startServer({
      port: 0,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/unused' },
      log: () => {},
    });
    try {
      const over = await send(serve.url, Buffer.alloc(1.5 * 1024 * 1024, 0x20));
      expect(over.status).toBe(413);
      expect(JSON.parse(over.body)).toEqual({ error: 'body of 1572864 bytes is larger than 1048576' });
      // The handler's answer is sent with its length, not chunked.
      expect(over.headers['content-length']).toBe(String(Buffer.byteLength(over.body)));
      expect(over.headers['transfer-encoding']).toBeUndefined();
      const far = await send(serve.url, Buffer.alloc(3 * 1024 * 1024, 0x20));
      expect(far).toMatchObject({ status: 413, headers: { connection: 'close' }, body: '{"error":"body too large"}' });
    } finally {
      await serve.close();
    }
  });

  it('routes the path as URL parsing gives it (query dropped, dot segments resolved)', async () => {
    const slack = new SlackCapture();
    await slack.start();
    const serve = await startServer({
      port: 0,
      env: { ALERTMANAGER_TOKEN: TOKEN, SLACK_WEBHOOK_URL: slack.url },
      log: () => {},
    });
    try {
      const body = Buffer.from(JSON.stringify(amPayload()));
      expect((await send(serve.url, body, '/alertmanager?from=am')).status).toBe(200);
      expect((await send(serve.url, body, '/x/../alertmanager')).status).toBe(200);
      expect((await send(serve.url, body, '/alertmanager/')).status).toBe(404);
      expect(slack.posts).toHaveLength(1);
    } finally {
      await serve.close();
      await slack.stop();
    }
  });

  it('requestPath is new URL(path).pathname for any request target', () => {
    for (const u of [
      '/',
      '/alertmanager',
      '/alertmanager?x=1',
      '/a%20b',
      '/x/./y/../z',
      '/h#f',
      '//x/y',
      '/ä',
      '/a\tb',
    ])
      expect(requestPath(u)).toBe(new URL(u, 'http://localhost').pathname);
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (tail) => {
        expect(requestPath(`/${tail}`)).toBe(new URL(`/${tail}`, 'http://localhost').pathname);
      }),
      { numRuns: 500 },
    );
  });
});
