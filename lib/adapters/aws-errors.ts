/** Turning SDK and HTTP failures into CollectionErrors that name the call and the permission. */
import { describeError } from '../errors';
import type { CollectionError, DataKey } from '../snapshot/types';

export function errorCode(err: unknown): string | undefined {
  const e = err as {
    name?: string;
    code?: string | number;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    statusCode?: number;
  };
  if (typeof e?.code === 'string' && e.code !== 'ERR_UNKNOWN') return e.code;
  if (e?.name && e.name !== 'Error') return e.name;
  if (typeof e?.code === 'number') return String(e.code);
  if (e?.$metadata?.httpStatusCode) return String(e.$metadata.httpStatusCode);
  return undefined;
}

export function collectionError(
  source: string,
  call: string,
  affects: DataKey[],
  err: unknown,
  permission?: string,
  resource?: string,
): CollectionError {
  const code = errorCode(err);
  let message = describeError(err).replace(/^[A-Za-z]+(Exception|Error)?: /, '');
  // No credentials at all: say where the SDK looks for them.
  if (code === 'CredentialsProviderError')
    message +=
      '; set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), run `aws sso login`, or run where a role is attached';
  return {
    source,
    call,
    affects,
    message: message || String(code ?? 'failed'),
    ...(code ? { code } : {}),
    ...(permission ? { permission } : {}),
    ...(resource ? { resource } : {}),
  };
}

/** Dates → ISO strings, `$metadata` and undefined dropped: SDK outputs as plain snapshot data. */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, val) => (k === '$metadata' ? undefined : val))) as T;
}
