/**
 * EKS authentication without kubectl: the token `aws eks get-token` makes.
 * `k8s-aws-v1.` + unpadded base64url of a presigned STS GetCallerIdentity URL (SigV4, query
 * signing) whose signed headers include `x-k8s-aws-id: <cluster>`; 60 s expiry; the API server
 * (aws-iam-authenticator) replays the URL against STS to learn who is calling.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

export interface EksTokenInput {
  cluster: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** STS endpoint override (AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL), else the regional endpoint. */
  stsEndpoint?: string;
  signingDate?: Date;
}

export function stsEndpointFor(region: string, env: NodeJS.ProcessEnv = process.env): URL {
  const override = env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL;
  return new URL(override ?? `https://sts.${region}.amazonaws.com/`);
}

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const escapeUri = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The path as SigV4 canonicalises it: `.`, `..` and empty segments resolved, then URI-encoded. */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const normal = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normal).replace(/%2F/g, '/');
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
/** SHA-256 of an empty payload: a GET has no body. */
const EMPTY_PAYLOAD_HASH = sha256Hex('');

/**
 * The token: SigV4 query signing (AWS4-HMAC-SHA256) of GET sts:GetCallerIdentity with `host` and
 * `x-k8s-aws-id` signed, as the SDK's SignatureV4#presign computes it (the fake API server checks
 * it with that signer). Written here with node:crypto: the signer and its HTTP request class would
 * put a second copy of @smithy/core in the Lambda bundle for one URL.
 */
export async function eksToken(input: EksTokenInput): Promise<string> {
  const url = input.stsEndpoint ? new URL(input.stsEndpoint) : stsEndpointFor(input.region);
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const credentials = typeof input.credentials === 'function' ? await input.credentials() : input.credentials;
  if (!credentials?.accessKeyId || !credentials.secretAccessKey)
    throw new Error('Resolved credential object is not valid');
  const longDate = (input.signingDate ?? new Date())
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${input.region}/sts/aws4_request`;
  const signedHeaders = `host;${CLUSTER_ID_HEADER}`;
  const query: Record<string, string> = {
    Action: 'GetCallerIdentity',
    Version: '2011-06-15',
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': longDate,
    'X-Amz-Expires': '60',
    'X-Amz-SignedHeaders': signedHeaders,
  };
  const canonicalQuery = Object.keys(query)
    .map((k) => [escapeUri(k), escapeUri(query[k])])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    canonicalPath(url.pathname || '/'),
    canonicalQuery,
    `host:${host}\n${CLUSTER_ID_HEADER}:${input.cluster.trim().replace(/\s+/g, ' ')}\n`,
    signedHeaders,
    EMPTY_PAYLOAD_HASH,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: string | Buffer = `AWS4${credentials.secretAccessKey}`;
  for (const part of [shortDate, input.region, 'sts', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  const presigned = `${url.protocol}//${host}${url.pathname || '/'}?${canonicalQuery}&X-Amz-Signature=${signature}`;
  return TOKEN_PREFIX + Buffer.from(presigned).toString('base64url');
}

/** Decodes a token back to its presigned URL (the fake API server and tests use it). */
export function decodeEksToken(token: string): URL {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error('token does not start with k8s-aws-v1.');
  const raw = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('token is not unpadded base64url');
  return new URL(Buffer.from(raw, 'base64url').toString('utf8'));
}
