import { nameCovers } from '../../../lib/checks/certificate';
import { makeCertificate } from '../../support/factories/aws';
import { LAB_CERT_ARN } from '../../support/factories/expected';
import { failing, runCode } from '../../support/run-check';

describe('check: certificate (CRT001-003)', () => {
  it('passes an issued certificate valid 300 days covering both hosts through *.example.com', () => {
    expect(['CRT001', 'CRT002', 'CRT003'].flatMap((c) => runCode(c)).map((r) => r.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
  });
  it('fails a certificate pending validation', () => {
    expect(
      runCode(
        'CRT001',
        (s) => (s.aws.certificates[LAB_CERT_ARN] = makeCertificate({ Status: 'PENDING_VALIDATION' })),
      )[0],
    ).toMatchObject({ status: 'fail', resource: LAB_CERT_ARN });
  });
  it('is critical within 14 days and a warning within 30', () => {
    expect(
      runCode('CRT002', (s) => (s.aws.certificates[LAB_CERT_ARN] = makeCertificate({ daysLeft: 10 })))[0],
    ).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(
      runCode('CRT002', (s) => (s.aws.certificates[LAB_CERT_ARN] = makeCertificate({ daysLeft: 20 })))[0],
    ).toMatchObject({ status: 'fail', severity: 'warning' });
  });
  it('fails a host the names do not cover', () => {
    const rs = runCode(
      'CRT003',
      (s) =>
        (s.aws.certificates[LAB_CERT_ARN] = makeCertificate({
          SubjectAlternativeNames: ['example.com', 'prometheus.example.com'],
        })),
    );
    expect(failing(rs)).toEqual([
      expect.objectContaining({ title: 'Certificate covers grafana.example.com', resource: LAB_CERT_ARN }),
    ]);
  });
  it('matches wildcards the way TLS does: one label only', () => {
    expect(nameCovers('*.example.com', 'grafana.example.com')).toBe(true);
    expect(nameCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(nameCovers('*.example.com', 'example.com')).toBe(false);
    expect(nameCovers('GRAFANA.example.com', 'grafana.EXAMPLE.com')).toBe(true);
  });
  it('fails when the certificate is not in ACM', () => {
    expect(runCode('CRT001', (s) => (s.aws.certificates = {}))[0]).toMatchObject({ status: 'fail', actual: null });
  });
});
