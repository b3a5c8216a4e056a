/**
 * kubeGet over HTTP/2 against servers that misbehave the way real API servers, proxies and frozen
 * Lambdas do: sessions gone while idle (with or without GOAWAY), GOAWAY refusing streams in flight,
 * RST_STREAM REFUSED_STREAM, handshakes that never finish, and TLS
 * errors that must stay errors (not a silent fall back to HTTP/1.1, not remembered as "no h2").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import {
  constants,
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeKubeAgents, kubeGet, kubeErrorCode } from '../../../lib/adapters/kube';
import type { Pick } from '../../../lib/adapters/json-pick';
import { testPki } from '../../support/fakes/tls';
import { failure, startH2TestServer, testKubeConfig, type H2TestServer } from '../../support/kube-client';

type Handler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;
let handler: Handler = (_q, r) => r.end('{}');
let h2: H2TestServer;
let port: number;
let sessions: ServerHttp2Session[] = [];
const versions: string[] = [];

/** A self-signed certificate for 127.0.0.1: valid name, but from a CA the kubeconfig does not trust. */
function otherCa(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stackcheck-otherca-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2'].concat([
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]),
    { cwd: dir, stdio: 'pipe' },
  );
  return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
}

const listen = async (s: { listen: (p: number, h: string, cb: () => void) => unknown; address: () => unknown }) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  h2 = await startH2TestServer(
    (q, r) => {
      versions.push(q.httpVersion);
      handler(q, r);
    },
    { allowHTTP1: true },
  );
  sessions = h2.sessions;
  port = h2.port;
});
afterEach(() => {
  closeKubeAgents();
  versions.length = 0;
});
afterAll(async () => {
  closeKubeAgents();
  await h2.close();
});

const pick: Pick = { metadata: true, items: [{ metadata: { name: true } }] };
const PAGE = '{"metadata":{},"items":[{"metadata":{"name":"a","x":1}}]}';
const PICKED = { metadata: {}, items: [{ metadata: { name: 'a' } }] };

describe('kubeGet over HTTP/2 against hostile servers', () => {
  it('a session the server closed while idle (socket gone, no GOAWAY seen yet): the next GET succeeds on a new session', async () => {
    const kc = testKubeConfig(`https://127.0.0.1:${port}`, { token: 't' });
    handler = (_q, r) => r.end(PAGE);
    await kubeGet(kc, '/x', {}, { pick });
    const before = sessions.length;
    // As after a Lambda freeze: the request is written before the client has read the close.
    sessions[sessions.length - 1].destroy();
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual(PICKED);
    expect(sessions.length).toBe(before + 1);
    expect(versions).toEqual(['2.0', '2.0']);
  });

  /**
   * `n` GETs in flight on an open session whose server holds them all, then ends the session with
   * `end`: every GET must still answer, all of them on one new session.
   */
  async function sessionEndsUnder(n: number, end: (session: ServerHttp2Session) => void) {
    const kc = testKubeConfig(`https://127.0.0.1:${port}`, { token: 't' });
    handler = (_q, r) => r.end(PAGE);
    await kubeGet(kc, '/x', {}, { pick });
    const first = sessions[sessions.length - 1];
    let held = 0;
    handler = (q, r) => {
      if (q.stream.session === first) {
        if (++held === n) end(first);
        return;
      }
      r.end(PAGE);
    };
    const before = sessions.length;
    const got = await Promise.all(Array.from({ length: n }, () => kubeGet(kc, '/x', {}, { pick })));
    for (const g of got) expect(g).toEqual(PICKED);
    expect(sessions.length).toBe(before + 1);
  }

  it('GOAWAY with a lastStreamID below the streams in flight: each is retried, on one new session', async () => {
    await sessionEndsUnder(5, (s) => s.goaway(constants.NGHTTP2_NO_ERROR, 1));
  });

  it('RST_STREAM REFUSED_STREAM before the headers is retried once', async () => {
    const kc = testKubeConfig(`https://127.0.0.1:${port}`, { token: 't' });
    let n = 0;
    handler = (_q, r) => {
      if (++n === 1) r.stream.close(constants.NGHTTP2_REFUSED_STREAM);
      else r.end(PAGE);
    };
    expect(await kubeGet(kc, '/x', {}, { pick })).toEqual(PICKED);
    expect(n).toBe(2);
  });

  it('ten GETs in flight when the session dies: all retried, on a single new session', async () => {
    await sessionEndsUnder(10, (s) => s.destroy());
  });

  it('a page of tens of MB (not picked) arrives whole', async () => {
    const kc = testKubeConfig(`https://127.0.0.1:${port}`, { token: 't' });
    const big = JSON.stringify({ items: [{ pad: 'x'.repeat(40 * 1024 * 1024) }] });
    handler = (_q, r) => r.end(big);
    const got = await kubeGet<{ items: Array<{ pad: string }> }>(kc, '/x');
    expect(got.items[0].pad.length).toBe(40 * 1024 * 1024);
  });

  it('a 302 is an HTTP error (not followed), multi-valued headers are joined', async () => {
    const kc = testKubeConfig(`https://127.0.0.1:${port}`, { token: 't' });
    handler = (_q, r) => {
      r.setHeader('warning', ['299 - "a"', '299 - "b"']);
      r.writeHead(302, { location: 'https://elsewhere.example/' });
      r.end();
    };
    const err = (await failure(kubeGet(kc, '/x'))) as Error & { headers?: Record<string, string> };
    expect(kubeErrorCode(err)).toBe(302);
    expect(err.headers?.warning).toBe('299 - "a", 299 - "b"');
  });

  it('a certificate from another CA is an error over HTTP/2 and is not remembered as "HTTP/1.1 only"', async () => {
    const pki = testPki();
    const other = otherCa();
    const s = createSecureServer({ ...other, allowHTTP1: true }, (q, r) => {
      versions.push(q.httpVersion);
      r.end(PAGE);
    });
    const p = await listen(s);
    try {
      const kc = testKubeConfig(`https://127.0.0.1:${p}`, { token: 't' });
      const err = await failure(kubeGet(kc, '/x', {}, { pick }));
      expect(String(err.code)).toMatch(/CERT|SIGNATURE|ISSUER/);
      expect(versions).toEqual([]);
      // The server gets a certificate the kubeconfig trusts: HTTP/2 from now on.
      s.setSecureContext({ cert: pki.certPem, key: pki.keyPem });
      expect(await kubeGet(kc, '/x', {}, { pick })).toEqual(PICKED);
      expect(versions).toEqual(['2.0']);
    } finally {
      closeKubeAgents();
      await new Promise((r) => s.close(r));
    }
  });

  it('a name mismatch (tls-server-name) is an error, not a fallback', async () => {
    const kc = testKubeConfig(`https://127.0.0.1:${port}`, { token: 't', tlsServerName: 'not-the-server.example' });
    handler = (_q, r) => r.end(PAGE);
    const err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(versions).toEqual([]);
  });

  it('ECONNREFUSED is an error and not remembered: once the server is up, HTTP/2', async () => {
    const probe = createTcpServer();
    const p = await listen(probe);
    await new Promise((r) => probe.close(r));
    const kc = testKubeConfig(`https://127.0.0.1:${p}`, { token: 't' });
    const err = await failure(kubeGet(kc, '/x', {}, { pick }));
    expect(err.code).toBe('ECONNREFUSED');
    const pki = testPki();
    const s = createSecureServer({ cert: pki.certPem, key: pki.keyPem, allowHTTP1: true }, (q, r) => {
      versions.push(q.httpVersion);
      r.end(PAGE);
    });
    await new Promise<void>((r) => s.listen(p, '127.0.0.1', r));
    try {
      expect(await kubeGet(kc, '/x', {}, { pick })).toEqual(PICKED);
      expect(versions).toEqual(['2.0']);
    } finally {
      closeKubeAgents();
      await new Promise((r) => s.close(r));
    }
  });

  it('a server that accepts the connection and never finishes the TLS handshake: the timeout still applies', async () => {
    const sockets: Socket[] = [];
    const mute: TcpServer = createTcpServer((c) => sockets.push(c));
    const p = await listen(mute);
    try {
      const kc = testKubeConfig(`https://127.0.0.1:${p}`, { token: 't' });
      let guard: NodeJS.Timeout | undefined;
      const err = await Promise.race([
        failure(kubeGet(kc, '/x', {}, { pick, timeoutMs: 200 })),
        new Promise<Error>((r) => {
          guard = setTimeout(() => r(new Error('still waiting for the handshake after the timeout')), 3000);
        }),
      ]);
      clearTimeout(guard);
      expect(err.name).toBe('TimeoutError');
    } finally {
      closeKubeAgents();
      for (const c of sockets) c.destroy();
      await new Promise((r) => mute.close(r));
    }
  });
});
