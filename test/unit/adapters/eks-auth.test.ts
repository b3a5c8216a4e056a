import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { CLUSTER_ID_HEADER, decodeEksToken, eksToken, type EksTokenInput } from '../../../lib/adapters/eks-auth';

/** The URL the SDK's own signer presigns for the same request (what aws-iam-authenticator replays). */
async function sdkPresigned(input: EksTokenInput & { signingDate: Date }): Promise<URL> {
  const url = new URL(input.stsEndpoint ?? `https://sts.${input.region}.amazonaws.com/`);
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const signed = await new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: 'sts',
    sha256: Sha256,
  }).presign(
    new HttpRequest({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, [CLUSTER_ID_HEADER]: input.cluster },
    }),
    { expiresIn: 60, signingDate: input.signingDate },
  );
  const out = new URL(`${url.protocol}//${host}${url.pathname}`);
  for (const [k, v] of Object.entries(signed.query ?? {})) out.searchParams.set(k, String(v));
  return out;
}

const params = (u: URL) => Object.fromEntries([...u.searchParams].sort(([a], [b]) => (a < b ? -1 : 1)));

describe('eksToken', () => {
  it('is the URL the SDK signer presigns: same endpoint, same query, same signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          cluster: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _()!*'-]{0,30}$/),
          region: fc.constantFrom('ap-northeast-2', 'us-east-1', 'eu-west-1', 'cn-north-1'),
          accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
          secretAccessKey: fc.base64String({ minLength: 40, maxLength: 40 }),
          sessionToken: fc.option(fc.base64String({ minLength: 8, maxLength: 200 }), { nil: undefined }),
          stsEndpoint: fc.option(
            fc.constantFrom('http://127.0.0.1:4566/', 'https://sts.example.com:8443', 'https://vpce.example.com/sts/'),
            { nil: undefined },
          ),
          signingDate: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        }),
        async ({ accessKeyId, secretAccessKey, sessionToken, ...rest }) => {
          const input = { ...rest, credentials: { accessKeyId, secretAccessKey, sessionToken } };
          const mine = decodeEksToken(await eksToken(input));
          const sdk = await sdkPresigned(input);
          expect(`${mine.origin}${mine.pathname}`).toBe(`${sdk.origin}${sdk.pathname}`);
          expect(params(mine)).toEqual(params(sdk));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('resolves a credential provider, signs host and x-k8s-aws-id, expires in 60 s', async () => {
    const token = await eksToken({
      cluster: 'myeks',
      region: 'ap-northeast-2',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'tok' }),
      signingDate: new Date('2026-12-02T08:00:00.500Z'),
    });
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const q = Object.fromEntries(decodeEksToken(token).searchParams);
    expect(q).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261202/ap-northeast-2/sts/aws4_request',
      'X-Amz-Date': '20261202T080000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Security-Token': 'tok',
    });
    expect(q['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses credentials without a key', async () => {
    await expect(
      eksToken({ cluster: 'c', region: 'us-east-1', credentials: { accessKeyId: '', secretAccessKey: '' } }),
    ).rejects.toThrow(/credential/);
  });
});
