/**
 * SDK v3 client options shared by every AWS client: region, the standard credential chain and
 * endpoint variables (AWS_ENDPOINT_URL_<SERVICE> are read by the SDK itself, never overridden
 * here), standard retries, and per-call timeouts through the HTTP handler.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsClientOptions {
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
  /** Per-attempt timeout, ms. */
  callTimeoutMs?: number;
  maxAttempts?: number;
}

export function clientConfig(o: AwsClientOptions = {}) {
  return {
    ...(o.region ? { region: o.region } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    maxAttempts: o.maxAttempts ?? 3,
    retryMode: 'standard' as const,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(o.callTimeoutMs ?? 10_000, 5_000),
      requestTimeout: o.callTimeoutMs ?? 10_000,
    }),
  };
}
