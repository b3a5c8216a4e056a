/**
 * SDK v3 client options shared by every AWS client: region, the standard credential chain and
 * endpoint variables (AWS_ENDPOINT_URL_<SERVICE> are read by the SDK itself, never overridden
 * here), standard retries, and per-call timeouts through the HTTP handler: given as its options,
 * from which each client makes the SDK's own NodeHttpHandler (an instance made here would be a
 * second copy of the handler and of @smithy/core in the Lambda bundle, whose SDK is the runtime's).
 *
 * `cacheMiddleware`: each client resolves a command's middleware stack once and reuses it for
 * every later call of that command (warm runs make the same calls every time; nothing here adds
 * middleware after the first call, which is what the option requires). An SDK older than the
 * option ignores it.
 */
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
    cacheMiddleware: true,
    requestHandler: {
      connectionTimeout: Math.min(o.callTimeoutMs ?? 10_000, 5_000),
      requestTimeout: o.callTimeoutMs ?? 10_000,
    },
  };
}
