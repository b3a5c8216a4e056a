/**
 * The AWS side of the snapshot: the ALB of the ingress group, its listeners, rules, target groups,
 * target health and tags (ELBv2, in batches of 20 for DescribeTags), and the ACM certificates.
 * Pagination (Marker/NextMarker) is hidden in small wrappers. Dependent calls chain; independent
 * ones run in parallel. Every failure becomes a CollectionError; nothing here throws.
 */
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectionError, errorCode, plain } from '../adapters/aws-errors';
import type { AwsState, CollectionError, DataKey, K8sObject, LoadBalancer } from '../snapshot/types';
import { emptyAwsState } from '../snapshot/types';
import type { CollectHints } from './types';

export interface AwsCollectDeps {
  elbv2: ElasticLoadBalancingV2Client;
  acm: ACMClient;
  /** Wraps every call: counting, concurrency bound, timeout. */
  call: <T>(service: string, name: string, fn: () => Promise<T>) => Promise<T>;
}

const LB_DOWNSTREAM: DataKey[] = [
  'aws.loadBalancers',
  'aws.listeners',
  'aws.rules',
  'aws.targetGroups',
  'aws.targetHealth',
  'aws.tags',
];

export interface AwsCollectResult {
  aws: AwsState;
  errors: CollectionError[];
  collected: DataKey[];
}

/** Collects the ALB side. `ingresses` resolves when the Kubernetes side has listed the Ingresses (hostname fallback). */
export async function collectAws(
  deps: AwsCollectDeps,
  cluster: string,
  hints: CollectHints,
  opts: { alb: boolean; certificate: boolean },
  ingresses: Promise<K8sObject[]>,
): Promise<AwsCollectResult> {
  const aws = emptyAwsState();
  const errors: CollectionError[] = [];
  const collected = new Set<DataKey>();
  const { elbv2, acm, call } = deps;
  const fail = (
    name: string,
    affects: DataKey[],
    err: unknown,
    resource?: string,
    service = 'elbv2',
    prefix = 'elasticloadbalancing',
  ) => errors.push(collectionError(service, name, affects, err, `${prefix}:${name}`, resource));

  const describeTags = async (arns: string[]) => {
    for (let i = 0; i < arns.length; i += 20) {
      const out = await call('elbv2', 'DescribeTags', () =>
        elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) })),
      );
      for (const d of out.TagDescriptions ?? [])
        if (d.ResourceArn) aws.tags[d.ResourceArn] = plain(d.Tags ?? []) as AwsState['tags'][string];
    }
  };

  const requestedCerts = new Set<string>();
  const certificates = async (arns: string[]) => {
    const fresh = [...new Set(arns)].filter((a) => !requestedCerts.has(a));
    fresh.forEach((a) => requestedCerts.add(a));
    await Promise.all(
      fresh.map(async (arn) => {
        try {
          const out = await call('acm', 'DescribeCertificate', () =>
            acm.send(new DescribeCertificateCommand({ CertificateArn: arn })),
          );
          if (out.Certificate) aws.certificates[arn] = plain(out.Certificate) as AwsState['certificates'][string];
        } catch (err) {
          // A certificate that does not exist is data (CRT001 says so), not a collection failure.
          if (errorCode(err) !== 'ResourceNotFoundException')
            fail('DescribeCertificate', ['aws.certificates'], err, arn, 'acm', 'acm');
        }
      }),
    );
  };

  async function findLoadBalancer(): Promise<LoadBalancer | undefined> {
    if (hints.loadBalancerName) {
      try {
        const out = await call('elbv2', 'DescribeLoadBalancers', () =>
          elbv2.send(new DescribeLoadBalancersCommand({ Names: [hints.loadBalancerName!] })),
        );
        const lb = out.LoadBalancers?.[0];
        if (lb) return plain(lb) as LoadBalancer;
      } catch (err) {
        if (errorCode(err) !== 'LoadBalancerNotFoundException' && errorCode(err) !== 'LoadBalancerNotFound') throw err;
      }
    }
    // By the controller's tags: list every load balancer (paginated) and read their tags.
    const all: LoadBalancer[] = [];
    let marker: string | undefined;
    do {
      const out = await call('elbv2', 'DescribeLoadBalancers', () =>
        elbv2.send(new DescribeLoadBalancersCommand({ Marker: marker, PageSize: 400 })),
      );
      all.push(...((out.LoadBalancers ?? []).map((l) => plain(l)) as LoadBalancer[]));
      marker = out.NextMarker;
    } while (marker);
    const albs = all.filter((l) => l.Type === undefined || l.Type === 'application');
    if (hints.albGroupName && albs.length > 0) {
      await describeTags(albs.map((l) => l.LoadBalancerArn));
      const tagged = albs.find((l) => {
        const tags = aws.tags[l.LoadBalancerArn] ?? [];
        const v = (k: string) => tags.find((t) => t.Key === k)?.Value;
        return (
          v('ingress.k8s.aws/stack') === hints.albGroupName &&
          (!v('elbv2.k8s.aws/cluster') || v('elbv2.k8s.aws/cluster') === cluster)
        );
      });
      if (tagged) return tagged;
    }
    // By the hostname the controller wrote into the Ingress status.
    const hostnames = (await ingresses).map((i) => i.status?.loadBalancer?.ingress?.[0]?.hostname).filter(Boolean);
    return albs.find((l) => l.DNSName && hostnames.includes(l.DNSName));
  }

  const certTask = opts.certificate ? certificates(hints.certificateArns) : Promise.resolve();
  if (opts.certificate) collected.add('aws.certificates');
  if (opts.alb) {
    LB_DOWNSTREAM.forEach((k) => collected.add(k));
    let lb: LoadBalancer | undefined;
    try {
      lb = await findLoadBalancer();
    } catch (err) {
      fail('DescribeLoadBalancers', LB_DOWNSTREAM, err);
    }
    if (lb) {
      aws.loadBalancers.push(lb);
      const lbArn = lb.LoadBalancerArn;
      // Two chains side by side: listeners → rules, target groups → target health; the tags of
      // the load balancer, listeners and target groups go out as soon as both lists are known.
      const listed = (async () => {
        try {
          let marker: string | undefined;
          do {
            const out = await call('elbv2', 'DescribeListeners', () =>
              elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn, Marker: marker })),
            );
            aws.listeners.push(...((out.Listeners ?? []).map((l) => plain(l)) as AwsState['listeners']));
            marker = out.NextMarker;
          } while (marker);
          return true;
        } catch (err) {
          fail('DescribeListeners', ['aws.listeners', 'aws.rules'], err, lbArn);
          return false;
        }
      })();
      const groups = (async () => {
        try {
          let marker: string | undefined;
          do {
            const out = await call('elbv2', 'DescribeTargetGroups', () =>
              elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn, Marker: marker })),
            );
            aws.targetGroups.push(...((out.TargetGroups ?? []).map((t) => plain(t)) as AwsState['targetGroups']));
            marker = out.NextMarker;
          } while (marker);
          return true;
        } catch (err) {
          fail('DescribeTargetGroups', ['aws.targetGroups', 'aws.targetHealth'], err, lbArn);
          return false;
        }
      })();
      const rulesTask = listed.then(async (ok) => {
        if (!ok) return;
        const listenerCerts = aws.listeners.flatMap((l) =>
          (l.Certificates ?? []).map((c) => c.CertificateArn).filter((a): a is string => !!a),
        );
        await Promise.all([
          ...aws.listeners.map(async (l) => {
            try {
              const rules: AwsState['rules'][string] = [];
              let marker: string | undefined;
              do {
                const out = await call('elbv2', 'DescribeRules', () =>
                  elbv2.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn, Marker: marker })),
                );
                rules.push(...((out.Rules ?? []).map((r) => plain(r)) as AwsState['rules'][string]));
                marker = out.NextMarker;
              } while (marker);
              aws.rules[l.ListenerArn] = rules;
            } catch (err) {
              fail('DescribeRules', ['aws.rules'], err, l.ListenerArn);
            }
          }),
          opts.certificate ? certificates(listenerCerts) : Promise.resolve(),
        ]);
      });
      const healthTask = groups.then(async (ok) => {
        if (!ok) return;
        await Promise.all(
          aws.targetGroups.map(async (tg) => {
            try {
              const out = await call('elbv2', 'DescribeTargetHealth', () =>
                elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn })),
              );
              aws.targetHealth[tg.TargetGroupArn] = plain(
                out.TargetHealthDescriptions ?? [],
              ) as AwsState['targetHealth'][string];
            } catch (err) {
              fail('DescribeTargetHealth', ['aws.targetHealth'], err, tg.TargetGroupArn);
            }
          }),
        );
      });
      const tagsTask = Promise.all([listed, groups]).then(async () => {
        try {
          const arns = [
            lbArn,
            ...aws.listeners.map((l) => l.ListenerArn),
            ...aws.targetGroups.map((t) => t.TargetGroupArn),
          ];
          await describeTags(arns.filter((a) => !aws.tags[a]));
        } catch (err) {
          fail('DescribeTags', ['aws.tags'], err, lbArn);
        }
      });
      await Promise.all([rulesTask, healthTask, tagsTask]);
    }
  }
  await certTask;
  return { aws, errors, collected: [...collected] };
}
