/** A KubeConfig and an error helper for the tests of kubeGet against loopback servers. */
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
