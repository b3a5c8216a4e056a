/**
 * AWS objects in the SDK v3 output shapes (ELBv2 DescribeLoadBalancers/Listeners/Rules/
 * TargetGroups/TargetHealth/Tags, ACM DescribeCertificate), dates as ISO strings, as the AWS Load
 * Balancer Controller makes them for ingress group `study` (FACTS.md).
 */
import type {
  ActionShape,
  AwsState,
  AwsTag,
  CertificateDetail,
  Listener,
  LoadBalancer,
  Rule,
  TargetGroup,
  TargetHealthDescription,
} from '../../../lib/snapshot/types';
import { LAB_CERT_ARN, LAB_DOMAIN } from './expected';
import { LAB_ALB_DNS, LAB_TG_GRAFANA_ARN, LAB_TG_PROMETHEUS_ARN } from './k8s';

export const ACCOUNT = '111122223333';
export const REGION = 'ap-northeast-2';
export const CLUSTER = 'myeks';
export const LAB_LB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/myeks-ingress-alb/5e4d3c2b1a0f9e8d`;
export const LAB_HTTP_LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/myeks-ingress-alb/5e4d3c2b1a0f9e8d/0a1b2c3d4e5f6a7b`;
export const LAB_HTTPS_LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/myeks-ingress-alb/5e4d3c2b1a0f9e8d/8c9d0e1f2a3b4c5d`;
export const ruleArn = (listenerArn: string, id: string) =>
  `${listenerArn.replace(':listener/', ':listener-rule/')}/${id}`;
export const LAB_RULE_PROMETHEUS_ARN = ruleArn(LAB_HTTPS_LISTENER_ARN, '1a2b3c4d5e6f7a8b');
export const LAB_RULE_GRAFANA_ARN = ruleArn(LAB_HTTPS_LISTENER_ARN, '9f8e7d6c5b4a3928');
export const LAB_RULE_DEFAULT_ARN = ruleArn(LAB_HTTPS_LISTENER_ARN, 'd0d0d0d0d0d0d0d0');
export const LAB_RULE_HTTP_DEFAULT_ARN = ruleArn(LAB_HTTP_LISTENER_ARN, 'e1e1e1e1e1e1e1e1');
export const PROMETHEUS_TG_RESOURCE =
  'monitoring/kube-prometheus-stack-prometheus-kube-prometheus-stack-prometheus:9090';
export const GRAFANA_TG_RESOURCE = 'monitoring/kube-prometheus-stack-grafana-kube-prometheus-stack-grafana:80';

/** The collectedAt of the bundled examples; certificates are dated relative to it. */
export const LAB_NOW = '2026-11-24T09:00:00.000Z';

export function tags(resource: string, cluster = CLUSTER): AwsTag[] {
  return [
    { Key: 'elbv2.k8s.aws/cluster', Value: cluster },
    { Key: 'ingress.k8s.aws/stack', Value: 'study' },
    { Key: 'ingress.k8s.aws/resource', Value: resource },
  ];
}

export function makeLoadBalancer(over: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    LoadBalancerArn: LAB_LB_ARN,
    DNSName: LAB_ALB_DNS,
    CanonicalHostedZoneId: 'ZWKZPGTI48KDX',
    CreatedTime: '2026-11-01T09:05:00.000Z',
    LoadBalancerName: 'myeks-ingress-alb',
    Scheme: 'internet-facing',
    VpcId: 'vpc-0123456789abcdef0',
    State: { Code: 'active' },
    Type: 'application',
    AvailabilityZones: [
      { ZoneName: 'ap-northeast-2a', SubnetId: 'subnet-0aaa1111bbbb2222c' },
      { ZoneName: 'ap-northeast-2c', SubnetId: 'subnet-0ccc3333dddd4444e' },
    ],
    SecurityGroups: ['sg-0a1b2c3d4e5f60718', 'sg-0f1e2d3c4b5a69788'],
    IpAddressType: 'ipv4',
    ...over,
  };
}

export function redirectAction(over: Partial<NonNullable<ActionShape['RedirectConfig']>> = {}): ActionShape {
  return {
    Type: 'redirect',
    Order: 1,
    RedirectConfig: {
      Protocol: 'HTTPS',
      Port: '443',
      Host: '#{host}',
      Path: '/#{path}',
      Query: '#{query}',
      StatusCode: 'HTTP_301',
      ...over,
    },
  };
}

export function fixed404(): ActionShape {
  return { Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain' } };
}

export function forwardAction(tgArn: string, style: 'both' | 'legacy' | 'config' = 'both'): ActionShape {
  return {
    Type: 'forward',
    Order: 1,
    ...(style !== 'config' ? { TargetGroupArn: tgArn } : {}),
    ...(style !== 'legacy'
      ? {
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        }
      : {}),
  };
}

export function weightedForward(weights: Array<[string, number]>): ActionShape {
  return {
    Type: 'forward',
    Order: 1,
    ForwardConfig: {
      TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })),
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

export function makeListener(port: number, over: Partial<Listener> = {}): Listener {
  const https = port === 443;
  return {
    ListenerArn: https ? LAB_HTTPS_LISTENER_ARN : LAB_HTTP_LISTENER_ARN,
    LoadBalancerArn: LAB_LB_ARN,
    Port: port,
    Protocol: https ? 'HTTPS' : 'HTTP',
    ...(https ? { Certificates: [{ CertificateArn: LAB_CERT_ARN }], SslPolicy: 'ELBSecurityPolicy-2016-08' } : {}),
    DefaultActions: https ? [fixed404()] : [redirectAction()],
    ...over,
  };
}

export function hostRule(
  arn: string,
  priority: string,
  host: string,
  action: ActionShape,
  legacyCondition = false,
): Rule {
  return {
    RuleArn: arn,
    Priority: priority,
    Conditions: legacyCondition
      ? [
          { Field: 'host-header', Values: [host] },
          { Field: 'path-pattern', Values: ['/*'] },
        ]
      : [
          { Field: 'host-header', Values: [host], HostHeaderConfig: { Values: [host] } },
          { Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } },
        ],
    Actions: [action],
    IsDefault: false,
  };
}

export function defaultRule(arn: string, action: ActionShape): Rule {
  return { RuleArn: arn, Priority: 'default', Conditions: [], Actions: [action], IsDefault: true };
}

export function makeTargetGroup(arn: string, port: number, over: Partial<TargetGroup> = {}): TargetGroup {
  return {
    TargetGroupArn: arn,
    TargetGroupName: arn.split(':targetgroup/')[1].split('/')[0],
    Protocol: 'HTTP',
    Port: port,
    VpcId: 'vpc-0123456789abcdef0',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 15,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 2,
    HealthCheckPath: '/',
    Matcher: { HttpCode: '200-399' },
    LoadBalancerArns: [LAB_LB_ARN],
    TargetType: 'ip',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
    ...over,
  };
}

export function target(
  ip: string,
  port: number,
  state = 'healthy',
  reason?: string,
  description?: string,
): TargetHealthDescription {
  return {
    Target: { Id: ip, Port: port, AvailabilityZone: 'ap-northeast-2a' },
    HealthCheckPort: String(port),
    TargetHealth: {
      State: state,
      ...(reason ? { Reason: reason } : {}),
      ...(description ? { Description: description } : {}),
    },
  };
}

function daysAfter(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}

export function makeCertificate(
  over: Partial<CertificateDetail> & { domain?: string; daysLeft?: number } = {},
): CertificateDetail {
  const { domain = LAB_DOMAIN, daysLeft = 300, ...rest } = over;
  return {
    CertificateArn: LAB_CERT_ARN,
    DomainName: domain,
    SubjectAlternativeNames: [domain, `*.${domain}`],
    DomainValidationOptions: [{ DomainName: domain, ValidationMethod: 'DNS', ValidationStatus: 'SUCCESS' }],
    Serial: '0a:1b:2c:3d',
    Subject: `CN=${domain}`,
    Issuer: 'Amazon',
    CreatedAt: '2026-09-28T00:00:00.000Z',
    IssuedAt: '2026-09-28T00:10:00.000Z',
    Status: 'ISSUED',
    NotBefore: '2026-09-28T00:00:00.000Z',
    NotAfter: daysAfter(LAB_NOW, daysLeft),
    KeyAlgorithm: 'RSA-2048',
    SignatureAlgorithm: 'SHA256WITHRSA',
    InUseBy: [LAB_LB_ARN],
    Type: 'AMAZON_ISSUED',
    RenewalEligibility: 'ELIGIBLE',
    ...rest,
  };
}

export interface LabAwsOptions {
  domain?: string;
  certArn?: string;
  cluster?: string;
}

/** The lab's healthy ALB: HTTP:80 redirects, HTTPS:443 routes both hosts, every target healthy. */
export function labAwsState(opts: LabAwsOptions = {}): AwsState {
  const domain = opts.domain ?? LAB_DOMAIN;
  const certArn = opts.certArn ?? LAB_CERT_ARN;
  const cluster = opts.cluster ?? CLUSTER;
  const https = makeListener(443, { Certificates: [{ CertificateArn: certArn }] });
  const http = makeListener(80);
  return {
    loadBalancers: [makeLoadBalancer()],
    listeners: [http, https],
    rules: {
      [LAB_HTTP_LISTENER_ARN]: [defaultRule(LAB_RULE_HTTP_DEFAULT_ARN, redirectAction())],
      [LAB_HTTPS_LISTENER_ARN]: [
        hostRule(LAB_RULE_PROMETHEUS_ARN, '1', `prometheus.${domain}`, forwardAction(LAB_TG_PROMETHEUS_ARN)),
        hostRule(LAB_RULE_GRAFANA_ARN, '2', `grafana.${domain}`, forwardAction(LAB_TG_GRAFANA_ARN)),
        defaultRule(LAB_RULE_DEFAULT_ARN, fixed404()),
      ],
    },
    targetGroups: [makeTargetGroup(LAB_TG_PROMETHEUS_ARN, 9090), makeTargetGroup(LAB_TG_GRAFANA_ARN, 3000)],
    targetHealth: {
      [LAB_TG_PROMETHEUS_ARN]: [target('192.168.1.50', 9090)],
      [LAB_TG_GRAFANA_ARN]: [target('192.168.2.61', 3000)],
    },
    tags: {
      [LAB_LB_ARN]: tags('LoadBalancer', cluster),
      [LAB_HTTP_LISTENER_ARN]: tags('80', cluster),
      [LAB_HTTPS_LISTENER_ARN]: tags('443', cluster),
      [LAB_RULE_PROMETHEUS_ARN]: tags('443:1', cluster),
      [LAB_RULE_GRAFANA_ARN]: tags('443:2', cluster),
      [LAB_TG_PROMETHEUS_ARN]: tags(PROMETHEUS_TG_RESOURCE, cluster),
      [LAB_TG_GRAFANA_ARN]: tags(GRAFANA_TG_RESOURCE, cluster),
    },
    certificates: { [certArn]: makeCertificate({ domain, CertificateArn: certArn }) },
  };
}
