/**
 * Which load balancer is the stack's: the one function collection, checks and the topology use.
 * The AWS Load Balancer Controller tags every ALB it makes for an ingress group with
 * `ingress.k8s.aws/stack: <group>` and `elbv2.k8s.aws/cluster: <cluster>`; an explicit
 * `alb.ingress.kubernetes.io/load-balancer-name` names it; the Ingress status carries its DNS name.
 * Order: stack tag (of this cluster), then name, then the Ingress status hostname.
 */
import type { AwsTag, K8sObject, LoadBalancer } from '../snapshot/types';

export const TAG_STACK = 'ingress.k8s.aws/stack';
export const TAG_CLUSTER = 'elbv2.k8s.aws/cluster';
export const TAG_RESOURCE = 'ingress.k8s.aws/resource';

export function tagValue(tags: AwsTag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

export interface LoadBalancerHints {
  /** The ingress group (`alb.ingress.kubernetes.io/group.name`). */
  groupName?: string;
  /** `alb.ingress.kubernetes.io/load-balancer-name`. */
  loadBalancerName?: string;
  /** The EKS cluster: a load balancer tagged for another cluster is not found by its stack tag. */
  cluster?: string;
}

/** The hostnames the controller wrote into the Ingresses' status. */
export function ingressHostnames(ingresses: readonly K8sObject[]): string[] {
  return ingresses.map((i) => i.status?.loadBalancer?.ingress?.[0]?.hostname).filter((h): h is string => !!h);
}

const applicationOnly = (candidates: readonly LoadBalancer[]) =>
  candidates.filter((l) => l.Type === undefined || l.Type === 'application');

/** The first two ways: the stack tag (of this cluster), then the name; undefined when neither finds it. */
export function pickByTagOrName(
  candidates: readonly LoadBalancer[],
  tags: Readonly<Record<string, AwsTag[]>>,
  hints: LoadBalancerHints,
): LoadBalancer | undefined {
  const albs = applicationOnly(candidates);
  const { groupName, loadBalancerName } = hints;
  const ours = (lb: LoadBalancer) => {
    const owner = tagValue(tags[lb.LoadBalancerArn], TAG_CLUSTER);
    return !owner || !hints.cluster || owner === hints.cluster;
  };
  const byTag = groupName
    ? albs.find((lb) => tagValue(tags[lb.LoadBalancerArn], TAG_STACK) === groupName && ours(lb))
    : undefined;
  return byTag ?? (loadBalancerName ? albs.find((lb) => lb.LoadBalancerName === loadBalancerName) : undefined);
}

/**
 * The stack's load balancer among `candidates` (application load balancers only), or undefined:
 * by tag or name, else by the Ingress status hostname. With neither a group nor a name to look
 * for, the only candidate stands (a snapshot that holds just the stack's ALB).
 */
export function pickLoadBalancer(
  candidates: readonly LoadBalancer[],
  tags: Readonly<Record<string, AwsTag[]>>,
  ingresses: readonly K8sObject[],
  hints: LoadBalancerHints,
): LoadBalancer | undefined {
  const found = pickByTagOrName(candidates, tags, hints);
  if (found) return found;
  const albs = applicationOnly(candidates);
  const hostnames = ingressHostnames(ingresses);
  return (
    albs.find((lb) => lb.DNSName && hostnames.includes(lb.DNSName)) ??
    (hints.groupName || hints.loadBalancerName ? undefined : albs[0])
  );
}
