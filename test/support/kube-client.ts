/** A KubeConfig, an error helper and an HTTP/2 server for the tests of kubeGet against loopback servers. */
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { testPki } from './fakes/tls';

/**
 * A one-context KubeConfig for `server` with a static bearer token; the test CA is trusted unless
 * `ca` is false (an http: server, with `skipTLSVerify` as client-node requires for it).
 */
export function testKubeConfig(
  server: string,
  opts: { ca?: boolean; skipTLSVerify?: boolean; token?: string; tlsServerName?: string } = {},
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server,
        ...(opts.ca === false ? {} : { caData: Buffer.from(testPki().caPem).toString('base64') }),
        skipTLSVerify: opts.skipTLSVerify ?? false,
        ...(opts.tlsServerName ? { tlsServerName: opts.tlsServerName } : {}),
      },
    ],
    users: [{ name: 'u', token: opts.token ?? 'sekrit-token' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

/** The error a call fails with (a call that succeeds fails the test). */
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected an error');
    },
    (e: Error & { code?: string }) => e,
  );

/** An HTTP/2 API-server stand-in on loopback with the test certificate, and the sessions it accepted. */
export interface H2TestServer {
  port: number;
  url: string;
  sessions: ServerHttp2Session[];
  close(): Promise<void>;
}

/** Starts an HTTP/2 server (HTTP/2 only unless `allowHTTP1`) that passes each request to `listener`. */
export async function startH2TestServer(
  listener: (req: Http2ServerRequest, res: Http2ServerResponse) => void,
  opts: { allowHTTP1?: boolean } = {},
): Promise<H2TestServer> {
  const pki = testPki();
  const server = createSecureServer(
    { cert: pki.certPem, key: pki.keyPem, allowHTTP1: opts.allowHTTP1 ?? false },
    listener,
  );
  const sessions: ServerHttp2Session[] = [];
  server.on('session', (s: ServerHttp2Session) => sessions.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    sessions,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
