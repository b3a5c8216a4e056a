/**
 * EKS authentication without kubectl: the token `aws eks get-token` makes.
 * `k8s-aws-v1.` + unpadded base64url of a presigned STS GetCallerIdentity URL (SigV4, query
 * signing) whose signed headers include `x-k8s-aws-id: <cluster>`; 60 s expiry; the API server
 * (aws-iam-authenticator) replays the URL against STS to learn who is calling.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
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

export async function eksToken(input: EksTokenInput): Promise<string> {
  const url = input.stsEndpoint ? new URL(input.stsEndpoint) : stsEndpointFor(input.region);
  const hostname = url.hostname;
  const host = url.port ? `${hostname}:${url.port}` : hostname;
  const request = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname || '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host, [CLUSTER_ID_HEADER]: input.cluster },
  });
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(request, { expiresIn: 60, signingDate: input.signingDate });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const presigned = `${url.protocol}//${host}${signed.path}?${query}`;
  return TOKEN_PREFIX + Buffer.from(presigned).toString('base64url');
}

/** Decodes a token back to its presigned URL (the fake API server and tests use it). */
export function decodeEksToken(token: string): URL {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error('token does not start with k8s-aws-v1.');
  const raw = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error('token is not unpadded base64url');
  return new URL(Buffer.from(raw, 'base64url').toString('utf8'));
}
