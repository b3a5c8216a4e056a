/**
 * The ELBv2 collectors: the stack's ALB (lib/alb/lookup.ts decides which), its listeners, rules,
 * target groups, target health and tags. Each is one part of the snapshot; dependent reads chain
 * through `needs` (load balancer → listeners → rules; load balancer → target groups → health),
 * independent ones run side by side. Pagination (Marker/NextMarker) is hidden in `pages`.
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { pickByTagOrName, pickLoadBalancer } from '../alb/lookup';
import { collectionError, errorCode, plain } from '../adapters/aws-errors';
import type { AwsState, DataKey, LoadBalancer } from '../snapshot/types';
import type { CollectContext, Collector } from './types';

type Paged = { NextMarker?: string };

/** Every page of a Marker-paginated Describe call, concatenated. */
async function pages<O extends Paged, T>(
  ctx: CollectContext,
  name: string,
  send: (marker: string | undefined) => Promise<O>,
  items: (o: O) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await ctx.call('elbv2', name, () => send(marker));
    out.push(...(plain(items(page) ?? []) as T[]));
    marker = page.NextMarker;
  } while (marker);
  return out;
}

/** Records a failed ELBv2 call with the permission that would allow it. */
function failed(ctx: CollectContext, name: string, err: unknown, resource?: string): void {
  const { affects: _none, ...e } = collectionError('elbv2', name, [], err, `elasticloadbalancing:${name}`, resource);
  ctx.fail(e);
}

async function describeTags(ctx: CollectContext, arns: string[]): Promise<void> {
  const { elbv2 } = ctx.aws();
  for (let i = 0; i < arns.length; i += 20) {
    const out = await ctx.call('elbv2', 'DescribeTags', () =>
      elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) })),
    );
    for (const d of out.TagDescriptions ?? [])
      if (d.ResourceArn) ctx.parts.aws.tags[d.ResourceArn] = plain(d.Tags ?? []) as AwsState['tags'][string];
  }
}

/** Candidates by the explicit name first (one call), else every ALB of the account with its tags. */
async function findLoadBalancer(ctx: CollectContext): Promise<LoadBalancer | undefined> {
  const { elbv2 } = ctx.aws();
  const { albGroupName: groupName, loadBalancerName } = ctx.hints;
  const aws = ctx.parts.aws;
  const hints = { groupName, loadBalancerName, cluster: ctx.cluster };
  const pick = async (candidates: LoadBalancer[]) => {
    const found = pickByTagOrName(candidates, aws.tags, hints);
    if (found) return found;
    // Only then the hostname fallback: it waits for the Ingresses (when they are being collected).
    const ingresses = (await ctx.input('k8s.ingresses')) ? ctx.parts.kubernetes.ingresses : [];
    return pickLoadBalancer(candidates, aws.tags, ingresses, hints);
  };
  if (loadBalancerName) {
    try {
      const named = await pages(
        ctx,
        'DescribeLoadBalancers',
        () => elbv2.send(new DescribeLoadBalancersCommand({ Names: [loadBalancerName] })),
        (o) => o.LoadBalancers,
      );
      // Found by its name: the tags are read later with the listeners' and target groups'.
      const lb = await pick(named as LoadBalancer[]);
      if (lb) return lb;
    } catch (err) {
      const code = errorCode(err);
      if (code !== 'LoadBalancerNotFoundException' && code !== 'LoadBalancerNotFound') throw err;
    }
  }
  const all = (await pages(
    ctx,
    'DescribeLoadBalancers',
    (Marker) => elbv2.send(new DescribeLoadBalancersCommand({ Marker, PageSize: 400 })),
    (o) => o.LoadBalancers,
  )) as LoadBalancer[];
  const albs = all.filter((l) => l.Type === undefined || l.Type === 'application');
  if (groupName && albs.length > 0)
    await describeTags(
      ctx,
      albs.map((l) => l.LoadBalancerArn).filter((a) => !aws.tags[a]),
    );
  return pick(albs);
}

const theLb = (ctx: CollectContext): LoadBalancer | undefined => ctx.parts.aws.loadBalancers[0];
const lbArns = (ctx: CollectContext): string[] => ctx.parts.aws.loadBalancers.map((l) => l.LoadBalancerArn);

/**
 * A part read with one Describe call per parent (the load balancer, each listener, each target
 * group), side by side; a failed call is recorded against its parent's ARN and the others go on.
 */
function perParent(
  key: DataKey,
  parent: DataKey,
  name: string,
  parents: (ctx: CollectContext) => string[],
  read: (ctx: CollectContext, elbv2: ElasticLoadBalancingV2Client, arn: string) => Promise<void>,
): Collector {
  return {
    key,
    source: 'elbv2',
    needs: [parent],
    async collect(ctx) {
      const { elbv2 } = ctx.aws();
      await Promise.all(
        parents(ctx).map(async (arn) => {
          try {
            await read(ctx, elbv2, arn);
          } catch (err) {
            failed(ctx, name, err, arn);
          }
        }),
      );
    },
  };
}

export const elbv2Collectors: Collector[] = [
  {
    key: 'aws.loadBalancers',
    source: 'elbv2',
    async collect(ctx) {
      try {
        const lb = await findLoadBalancer(ctx);
        if (lb) ctx.parts.aws.loadBalancers.push(lb);
      } catch (err) {
        failed(ctx, 'DescribeLoadBalancers', err);
      }
    },
  },
  perParent('aws.listeners', 'aws.loadBalancers', 'DescribeListeners', lbArns, async (ctx, elbv2, arn) => {
    ctx.parts.aws.listeners = await pages(
      ctx,
      'DescribeListeners',
      (Marker) => elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn, Marker })),
      (o) => o.Listeners as AwsState['listeners'] | undefined,
    );
  }),
  perParent(
    'aws.rules',
    'aws.listeners',
    'DescribeRules',
    (ctx) => ctx.parts.aws.listeners.map((l) => l.ListenerArn),
    async (ctx, elbv2, arn) => {
      ctx.parts.aws.rules[arn] = await pages(
        ctx,
        'DescribeRules',
        (Marker) => elbv2.send(new DescribeRulesCommand({ ListenerArn: arn, Marker })),
        (o) => o.Rules as AwsState['rules'][string] | undefined,
      );
    },
  ),
  perParent('aws.targetGroups', 'aws.loadBalancers', 'DescribeTargetGroups', lbArns, async (ctx, elbv2, arn) => {
    ctx.parts.aws.targetGroups = await pages(
      ctx,
      'DescribeTargetGroups',
      (Marker) => elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: arn, Marker })),
      (o) => o.TargetGroups as AwsState['targetGroups'] | undefined,
    );
  }),
  perParent(
    'aws.targetHealth',
    'aws.targetGroups',
    'DescribeTargetHealth',
    (ctx) => ctx.parts.aws.targetGroups.map((t) => t.TargetGroupArn),
    async (ctx, elbv2, arn) => {
      const out = await ctx.call('elbv2', 'DescribeTargetHealth', () =>
        elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
      );
      ctx.parts.aws.targetHealth[arn] = plain(out.TargetHealthDescriptions ?? []) as AwsState['targetHealth'][string];
    },
  ),
  {
    key: 'aws.tags',
    source: 'elbv2',
    needs: ['aws.loadBalancers', 'aws.listeners', 'aws.targetGroups'],
    async collect(ctx) {
      const lb = theLb(ctx);
      if (!lb) return;
      const { aws } = ctx.parts;
      const arns = [
        lb.LoadBalancerArn,
        ...aws.listeners.map((l) => l.ListenerArn),
        ...aws.targetGroups.map((t) => t.TargetGroupArn),
      ];
      try {
        await describeTags(
          ctx,
          arns.filter((a) => !aws.tags[a]),
        );
      } catch (err) {
        failed(ctx, 'DescribeTags', err, lb.LoadBalancerArn);
      }
    },
  },
];
