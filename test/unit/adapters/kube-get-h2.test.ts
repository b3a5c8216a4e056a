/**
 * kubeGet over HTTP/2 (as client-go talks to kube-apiserver): one session for every request,
 * flow-control windows big enough for list pages, HTTP errors, streams reset mid-body, sessions
 * the server ends (GOAWAY), stalls and timeouts, UTF-8 cut between DATA frames.
 */
import { constants, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { KubeConfig } from '@kubernetes/client-node';
import { closeKubeAgents, kubeGet, kubeErrorCode, kubeErrorMessage } from '../../../lib/adapters/kube';
import type { Pick } from '../../../lib/adapters/json-pick';
import { failure, startH2TestServer, testKubeConfig, type H2TestServer } from '../../support/kube-client';

type Handler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;
let handler: Handler = (_q, r) => r.end('{}');
let h2: H2TestServer;
let kc: KubeConfig;
let sessions: ServerHttp2Session[] = [];
const seen: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  // HTTP/2 only: a request that came over HTTP/1.1 would fail the handshake.
  h2 = await startH2TestServer((q, r) => {
    seen.push({ ...q.headers });
    handler(q, r);
  });
  sessions = h2.sessions;
  kc = testKubeConfig(h2.url);
});
afterEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  closeKubeAgents();
  await h2.close();
});

const pick: Pick = { metadata: true, items: [{ metadata: { name: true } }] };
const PAGE = '{"metadata":{},"items":[{"metadata":{"name":"a","x":1}}]}';

describe('kubeGet over HTTP/2', () => {
  it('sends every request as a stream of one session, with the credentials and no HTTP/1.1-only headers', async () => {
    closeKubeAgents();
    const before = sessions.length;
    handler = (_q, r) => r.end(PAGE);
    const got = await Promise.all(Array.from({ length: 12 }, () => kubeGet(kc, '/api/v1/pods', {}, { pick })));
    for (const g of got) expect(g).toEqual({ metadata: {}, items: [{ metadata: { name: 'a' } }] });
    expect(sessions.length - before).toBe(1);
    expect(seen).toHaveLength(12);
    expect(seen[0].authorization).toBe('Bearer sekrit-token');
    expect(seen[0].accept).toBe('application/json');
    expect(seen[0].connection).toBeUndefined();
    // Flow control: windows for list pages of several MB, not HTTP/2's 64 KiB.
    const s = sessions[sessions.length - 1];
    expect(s.remoteSettings.initialWindowSize).toBe(4 * 1024 * 1024);
  });

  it('a big page arrives whole', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({ metadata: { name: `pod-${i}`, pad: 'x'.repeat(200) } }));
    handler = (_q, r) => r.end(JSON.stringify({ metadata: {}, items }));
    const got = await kubeGet<{ items: unknown[] }>(kc, '/api/v1/pods', {}, { pick });
    expect(got.items).toHaveLength(20_000);
    expect(got.items[19_999]).toEqual({ metadata: { name: 'pod-19999' } });
  });

  it('403 with a Status body, 500 with text, 401 empty', async () => {
    handler = (_q, r) => {
      r.writeHead(403, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', message: 'nope' }));
    };
    let err = await failure(kubeGet(kc, '/api/v1/pods', {}, { pick }));
    expect(kubeErrorCode(err)).toBe(403);
    expect(kubeErrorMessage(err)).toBe('HTTP 403 Forbidden: nope');
    handler = (_q, r) => void (r.writeHead(500), r.end('<html>oops</html>'));
    err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(kubeErrorMessage(err)).toBe('HTTP 500');
    handler = (_q, r) => void (r.writeHead(401), r.end());
    err = await failure(kubeGet(kc, '/x'));
    expect(kubeErrorMessage(err)).toBe('HTTP 401');
  });

  it('a page that ends early is an error naming the path', async () => {
    handler = (_q, r) => void (r.writeHead(200), r.end('{"items":[{"metadata":{"name":"a"}},'));
    const err = await failure(kubeGet(kc, '/api/v1/pods', {}, { pick }));
    expect(String(err.message)).toMatch(/GET \/api\/v1\/pods: the answer is not JSON/);
  });

  it('a stream reset mid-body is retried once, then an error (no hang)', async () => {
    let n = 0;
    handler = (_q, r) => {
      n++;
      r.writeHead(200);
      r.write('{"items":[{"metadata":{"name":"a"}}');
      setTimeout(() => r.stream.close(constants.NGHTTP2_INTERNAL_ERROR), 20);
    };
    const err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(err.code).toBe('ECONNRESET');
    expect(n).toBe(2);
  });

  it('a session the server drops mid-body is retried on a new one, which gives the whole page', async () => {
    let n = 0;
    handler = (_q, r) => {
      n++;
      r.writeHead(200);
      r.write('{"items":[{"metadata":{"name":"a"}}');
      if (n === 1) setTimeout(() => r.stream.session?.destroy(), 20);
      else r.end(']}');
    };
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual({ items: [{ metadata: { name: 'a' } }] });
    expect(n).toBe(2);
  });

  it('after the server ends the session (GOAWAY), the next request opens a new one', async () => {
    handler = (_q, r) => r.end(PAGE);
    await kubeGet(kc, '/x', {}, { pick });
    const before = sessions.length;
    sessions[sessions.length - 1].goaway();
    await new Promise((r) => setTimeout(r, 50));
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual({ metadata: {}, items: [{ metadata: { name: 'a' } }] });
    expect(sessions.length).toBe(before + 1);
  });

  it('a stalled body or stalled headers time out, and the session still serves the next request', async () => {
    handler = (_q, r) => {
      r.writeHead(200);
      r.write('{"items":[');
    };
    let err = await failure(kubeGet(kc, '/x', {}, { pick, timeoutMs: 200 }));
    expect(err.name).toBe('TimeoutError');
    handler = () => undefined;
    err = await failure(kubeGet(kc, '/x', {}, { pick, timeoutMs: 200 }));
    expect(err.name).toBe('TimeoutError');
    const before = sessions.length;
    handler = (_q, r) => r.end(PAGE);
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual({ metadata: {}, items: [{ metadata: { name: 'a' } }] });
    expect(sessions.length).toBe(before);
  });

  it('multi-byte UTF-8 split across DATA frames', async () => {
    const body = Buffer.from(JSON.stringify({ items: [{ metadata: { name: 'é€😀\u0022x' } }] }));
    handler = (_q, r) => {
      r.writeHead(200);
      (async () => {
        for (let i = 0; i < body.length; i++) {
          r.write(body.subarray(i, i + 1));
          await new Promise((s) => setImmediate(s));
        }
        r.end();
      })();
    };
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual({ items: [{ metadata: { name: 'é€😀"x' } }] });
  });
});
