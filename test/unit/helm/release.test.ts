import { gzipSync } from 'node:zlib';
import {
  decodeReleaseSecret,
  deployedRelease,
  encodeReleaseSecret,
  latestRelease,
  redactValues,
} from '../../../lib/helm/release';
import type { HelmRelease } from '../../../lib/snapshot/types';

const base = {
  name: 'kube-prometheus-stack',
  namespace: 'monitoring',
  revision: 3,
  status: 'deployed',
  chartName: 'kube-prometheus-stack',
  chartVersion: '45.27.2',
  appVersion: 'v0.65.1',
  config: { grafana: { adminPassword: 'prom-operator', defaultDashboardsTimezone: 'Asia/Seoul' } },
  manifest: '---\n# Source: kube-prometheus-stack/templates/x.yaml\n',
};

describe('helm: release secrets as Helm stores them', () => {
  it('decodes the Secret base64 of Helm base64 of gzip JSON', () => {
    const secret = encodeReleaseSecret(base);
    // The stored value really is double base64 around gzip (magic 1f 8b 08).
    const inner = Buffer.from(
      Buffer.from((secret as unknown as { data: { release: string } }).data.release, 'base64').toString(),
      'base64',
    );
    expect([...inner.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    const rel = decodeReleaseSecret(secret);
    expect(rel).toMatchObject({
      secretName: 'sh.helm.release.v1.kube-prometheus-stack.v3',
      name: 'kube-prometheus-stack',
      namespace: 'monitoring',
      revision: 3,
      status: 'deployed',
      chart: { name: 'kube-prometheus-stack', version: '45.27.2', appVersion: 'v0.65.1' },
      manifest: base.manifest,
    });
  });

  it('decodes the un-gzipped variant Helm also accepts', () => {
    const rel = decodeReleaseSecret(encodeReleaseSecret(base, { gzip: false }));
    expect(rel.chart.version).toBe('45.27.2');
  });

  it('redacts secret values in the recorded config', () => {
    const rel = decodeReleaseSecret(encodeReleaseSecret(base));
    expect(rel.config).toEqual({ grafana: { adminPassword: '[REDACTED]', defaultDashboardsTimezone: 'Asia/Seoul' } });
  });

  it('can drop the manifest', () => {
    expect(decodeReleaseSecret(encodeReleaseSecret(base), { keepManifest: false }).manifest).toBeUndefined();
  });

  it.each([
    ['no data', { metadata: { name: 's' } }, /has no data.release/],
    [
      'not gzip nor JSON',
      {
        metadata: { name: 's' },
        data: { release: Buffer.from(Buffer.from('hello').toString('base64')).toString('base64') },
      },
      /not release JSON/,
    ],
    [
      'corrupt gzip',
      {
        metadata: { name: 's' },
        data: {
          release: Buffer.from(Buffer.concat([gzipSync('{}').subarray(0, 6)]).toString('base64')).toString('base64'),
        },
      },
      /not valid gzip/,
    ],
  ])('fails clearly on %s', (_name, secret, reason) => {
    expect(() => decodeReleaseSecret(secret)).toThrow(reason);
  });

  it('picks the latest revision, and the latest deployed one', () => {
    const r = (revision: number, status: string) => ({ revision, status }) as HelmRelease;
    const list = [r(1, 'superseded'), r(3, 'failed'), r(2, 'deployed')];
    expect(latestRelease(list)?.revision).toBe(3);
    expect(deployedRelease(list)?.revision).toBe(2);
  });

  it('redacts by key and by value shape, and leaves the rest', () => {
    expect(
      redactValues({
        a: { token: 't', apiKey: 'k', client_secret: 's', name: 'x' },
        url: 'https://hooks.slack.com/services/T/B/X',
        list: [{ password: 'p' }],
        empty: { password: '' },
      }),
    ).toEqual({
      a: { token: '[REDACTED]', apiKey: '[REDACTED]', client_secret: '[REDACTED]', name: 'x' },
      url: 'https://hooks.slack.com/[REDACTED]',
      list: [{ password: '[REDACTED]' }],
      empty: { password: '' },
    });
  });
});
