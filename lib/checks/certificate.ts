/** The ACM certificate of the HTTPS listener: issued, not expiring, covering every host. */
import type { CertificateDetail } from '../snapshot/types';
import type { Check, CheckContext, Finding } from './types';
import { fail, judge, pass, skip } from './util';

const DAY = 86_400_000;

/** Whether a certificate name covers a host as TLS matches it: a wildcard covers exactly one label. */
export function nameCovers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n === h) return true;
  if (!n.startsWith('*.')) return false;
  const suffix = n.slice(1); // ".example.com"
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

function certArn(ctx: CheckContext): string | undefined {
  if (ctx.expected.certificateArn) return ctx.expected.certificateArn;
  const https = ctx.snapshot.aws.listeners.find((l) => l.Protocol === 'HTTPS');
  return (
    https?.Certificates?.find((c) => c.IsDefault !== false)?.CertificateArn ?? https?.Certificates?.[0]?.CertificateArn
  );
}

const resource = (ctx: CheckContext) => certArn(ctx) ?? 'arn:aws:acm:::certificate/unknown';

function withCert(ctx: CheckContext, fn: (c: CertificateDetail, arn: string) => Finding[]): Finding[] {
  const arn = certArn(ctx);
  if (!arn)
    return [
      skip(
        resource(ctx),
        'no certificate is expected (no --cert-arn, no certificate-arn annotation, no HTTPS listener)',
      ),
    ];
  const c = ctx.snapshot.aws.certificates[arn];
  if (!c)
    return [
      fail(arn, 'the certificate was not found in ACM (deleted, or in another region/account)', {
        expected: 'ISSUED',
        actual: null,
      }),
    ];
  return fn(c, arn);
}

export const certificateChecks: Check[] = [
  {
    code: 'CRT001',
    family: 'certificate',
    title: 'Certificate is issued',
    severity: 'critical',
    description: 'The ACM certificate the HTTPS listener should use exists and its status is `ISSUED`.',
    remediation:
      'aws acm describe-certificate --certificate-arn <arn>: complete DNS validation (PENDING_VALIDATION) or request a new certificate.',
    requires: ['aws.certificates'],
    resource,
    run: (ctx) =>
      withCert(ctx, (c, arn) => [
        judge(c.Status === 'ISSUED', arn, `ISSUED for ${c.DomainName}`, `status is ${c.Status}`, {
          expected: 'ISSUED',
          actual: c.Status ?? null,
        }),
      ]),
  },
  {
    code: 'CRT002',
    family: 'certificate',
    title: 'Certificate is not about to expire',
    severity: 'critical',
    description:
      'The certificate does not expire within 14 days (critical) or 30 days (warning); both limits are `overrides.thresholds` of the config file. ACM renews its own certificates if they are in use and validation still works; imported ones must be re-imported.',
    remediation:
      'For an AMAZON_ISSUED certificate check RenewalSummary and the DNS validation records; for IMPORTED, import the renewed certificate: aws acm import-certificate --certificate-arn <arn> …',
    requires: ['aws.certificates'],
    resource,
    run: (ctx) =>
      withCert(ctx, (c, arn) => {
        if (!c.NotAfter) return [skip(arn, 'the certificate has no expiry date yet (not issued)')];
        const days = Math.floor((new Date(c.NotAfter).getTime() - ctx.now.getTime()) / DAY);
        const { certificateWarningDays: warnDays, certificateCriticalDays: critDays } = ctx.expected.thresholds;
        const expected = `at least ${warnDays} days of validity`;
        const actual = { NotAfter: c.NotAfter, daysLeft: days };
        if (days < critDays)
          return [
            fail(
              arn,
              days < 0 ? `expired ${-days} days ago (${c.NotAfter})` : `expires in ${days} days (${c.NotAfter})`,
              { expected, actual },
            ),
          ];
        if (days < warnDays)
          return [fail(arn, `expires in ${days} days (${c.NotAfter})`, { expected, actual, severity: 'warning' })];
        return [pass(arn, `valid for ${days} more days`, { expected, actual })];
      }),
  },
  {
    code: 'CRT003',
    family: 'certificate',
    title: 'Certificate covers the host',
    severity: 'critical',
    description:
      "The certificate's domain name or a subject alternative name covers each ingress host as TLS matches names (`*.example.com` covers `grafana.example.com`, not `example.com` nor `a.b.example.com`).",
    remediation: 'Request a certificate whose names include the host (or *.<domain>) and point CERT_ARN at it.',
    requires: ['aws.certificates'],
    resource,
    run: (ctx) =>
      withCert(ctx, (c, arn) => {
        if (ctx.expected.hosts.length === 0) return [skip(arn, 'no ingress host is expected')];
        const names = [
          ...new Set([c.DomainName, ...(c.SubjectAlternativeNames ?? [])].filter((n): n is string => !!n)),
        ];
        return ctx.expected.hosts.map((host) => {
          const by = names.find((n) => nameCovers(n, host));
          return judge(!!by, arn, `${host} is covered by ${by}`, `${host} is not covered by ${names.join(', ')}`, {
            expected: host,
            actual: names,
            title: `Certificate covers ${host}`,
          });
        });
      }),
  },
];
