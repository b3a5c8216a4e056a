/**
 * The ACM collector: the expected certificate and every certificate the stack's listeners use
 * (when the listeners are collected). A certificate that does not exist is data (CRT001 says so).
 */
import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { collectionError, errorCode, plain } from '../adapters/aws-errors';
import type { AwsState } from '../snapshot/types';
import type { CollectContext, Collector } from './types';

async function describe(ctx: CollectContext, arns: string[], asked: Set<string>): Promise<void> {
  const { acm } = ctx.aws();
  const fresh = [...new Set(arns)].filter((a) => !asked.has(a));
  fresh.forEach((a) => asked.add(a));
  await Promise.all(
    fresh.map(async (arn) => {
      try {
        const out = await ctx.call('acm', 'DescribeCertificate', () =>
          acm.send(new DescribeCertificateCommand({ CertificateArn: arn })),
        );
        if (out.Certificate)
          ctx.parts.aws.certificates[arn] = plain(out.Certificate) as AwsState['certificates'][string];
      } catch (err) {
        if (errorCode(err) === 'ResourceNotFoundException') return;
        const { affects: _none, ...e } = collectionError(
          'acm',
          'DescribeCertificate',
          [],
          err,
          'acm:DescribeCertificate',
          arn,
        );
        ctx.fail(e);
      }
    }),
  );
}

export const acmCollectors: Collector[] = [
  {
    key: 'aws.certificates',
    source: 'acm',
    async collect(ctx) {
      const asked = new Set<string>();
      const expected = describe(ctx, ctx.hints.certificateArns, asked);
      const attached = (async () => {
        if (!(await ctx.input('aws.listeners'))) return;
        const arns = ctx.parts.aws.listeners.flatMap((l) =>
          (l.Certificates ?? []).map((c) => c.CertificateArn).filter((a): a is string => !!a),
        );
        await describe(ctx, arns, asked);
      })();
      await Promise.all([expected, attached]);
    },
  },
];
