/**
 * The ALB the AWS Load Balancer Controller makes for the stack's Ingresses: each Ingress's
 * `alb.ingress.kubernetes.io/*` settings, the one load balancer they share, and its certificate.
 */
import { ConfigError } from '../../errors';
import type { AlbIngressSettings, ExpectedState, IngressExpectation } from '../types';
import { isPlainObject } from '../values';
import { present } from './chart';

export function parseListenPorts(raw: string | undefined, source: string): AlbIngressSettings['listenPorts'] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${source}: alb.ingress.kubernetes.io/listen-ports is not valid JSON: ${raw}`);
  }
  if (!Array.isArray(parsed))
    throw new ConfigError(`${source}: alb.ingress.kubernetes.io/listen-ports must be a JSON list`);
  const out: AlbIngressSettings['listenPorts'] = [];
  for (const entry of parsed) {
    if (!isPlainObject(entry)) continue;
    for (const [proto, port] of Object.entries(entry)) {
      const p = proto.toUpperCase();
      if ((p === 'HTTP' || p === 'HTTPS') && Number.isInteger(Number(port)))
        out.push({ protocol: p, port: Number(port) });
    }
  }
  return out;
}

export function albSettings(annotations: Record<string, string>, source: string): AlbIngressSettings {
  const a = (k: string) => annotations[`alb.ingress.kubernetes.io/${k}`];
  const redirect = a('ssl-redirect');
  return {
    ...present('groupName', a('group.name')),
    ...present('loadBalancerName', a('load-balancer-name')),
    certificateArns: (a('certificate-arn') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...present('scheme', a('scheme')),
    ...present('targetType', a('target-type')),
    listenPorts: parseListenPorts(a('listen-ports'), source),
    ...(redirect && /^[0-9]+$/.test(redirect) ? { sslRedirectPort: Number(redirect) } : {}),
    ...present('successCodes', a('success-codes')),
  };
}

/**
 * --cert-arn replaces the first certificate of every Ingress that names one, so the Ingress checks
 * expect what the flag says (the ALB serves the certificate the Ingresses name).
 */
function applyCertArn(ingresses: readonly IngressExpectation[], certArn: string): void {
  for (const ing of ingresses) {
    if (ing.alb.certificateArns.length === 0 || ing.alb.certificateArns.includes('')) continue;
    ing.alb.certificateArns = ing.alb.certificateArns.map((arn, i) => (i === 0 ? certArn : arn));
    ing.annotations['alb.ingress.kubernetes.io/certificate-arn'] = ing.alb.certificateArns.join(',');
  }
}

/**
 * The shared ALB, from the Ingresses' annotations (the first Ingress that sets a value wins), and the
 * certificate to check: --cert-arn, else the first one an Ingress names.
 */
export function buildAlb(
  ingresses: ReadonlyArray<IngressExpectation | undefined>,
  certArn: string | undefined,
): { alb: ExpectedState['alb']; certificateArn?: string } {
  const rendered = ingresses.filter((i): i is IngressExpectation => i !== undefined);
  const settings = rendered.map((i) => i.alb);
  const pick = <K extends keyof AlbIngressSettings>(k: K) => settings.map((a) => a[k]).find((x) => x !== undefined);
  const certificateArn = certArn ?? settings.flatMap((a) => a.certificateArns)[0];
  if (certArn) applyCertArn(rendered, certArn);
  const sslRedirect = pick('sslRedirectPort');
  const listenPorts = settings.flatMap((a) => a.listenPorts);
  const httpPort = listenPorts.find((p) => p.protocol === 'HTTP')?.port;
  const httpsPort = listenPorts.find((p) => p.protocol === 'HTTPS')?.port ?? sslRedirect ?? 443;
  return {
    alb: {
      ...present('groupName', pick('groupName')),
      ...present('loadBalancerName', pick('loadBalancerName')),
      ...present('certificateArn', certificateArn),
      httpsPort,
      ...(sslRedirect !== undefined && httpPort !== undefined ? { httpRedirectFromPort: httpPort } : {}),
    },
    ...present('certificateArn', certificateArn),
  };
}
