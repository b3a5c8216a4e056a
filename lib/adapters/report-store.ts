/**
 * Reports kept in S3 (the bucket the service creates, with lifecycle expiry) and shared through
 * presigned GET URLs of limited life, so Slack and SNS readers open the HTML report without AWS
 * credentials. Uses the SDK's standard configuration; path-style addressing only when an endpoint
 * override is set (S3-compatible endpoints and local tests need it).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface StoredReport {
  htmlUrl: string;
  jsonUrl: string;
  key: string;
}

export function reportClient(env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({ maxAttempts: 3, forcePathStyle: !!(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL) });
}

export async function storeReport(
  client: S3Client,
  bucket: string,
  input: { cluster: string; startedAt: string; html: string; json: string },
  expiresInSeconds = 24 * 3600,
): Promise<StoredReport> {
  const stamp = input.startedAt.replace(/[:.]/g, '-');
  const key = `reports/${encodeURIComponent(input.cluster)}/${stamp}`;
  await Promise.all([
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${key}.html`,
        Body: input.html,
        ContentType: 'text/html; charset=utf-8',
      }),
    ),
    client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${key}.json`, Body: input.json, ContentType: 'application/json' }),
    ),
  ]);
  const [htmlUrl, jsonUrl] = await Promise.all([
    getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: `${key}.html` }), { expiresIn: expiresInSeconds }),
    getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: `${key}.json` }), { expiresIn: expiresInSeconds }),
  ]);
  return { htmlUrl, jsonUrl, key };
}
