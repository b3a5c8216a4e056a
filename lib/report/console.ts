/**
 * Links to the AWS console page of a result's resource (an ARN), in the resource's region and
 * partition; `undefined` for anything else (Kubernetes objects, ARNs of missing resources).
 */
const CONSOLE_HOST: Record<string, (region: string) => string> = {
  aws: (r) => `https://${r}.console.aws.amazon.com`,
  'aws-cn': () => 'https://console.amazonaws.cn',
  'aws-us-gov': () => 'https://console.amazonaws-us-gov.com',
};

export function consoleUrl(resource: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]+):(\d{12}):(.+)$/.exec(resource);
  if (!m) return undefined;
  const [, partition, service, region, , rest] = m;
  const host = CONSOLE_HOST[partition]?.(region);
  if (!host) return undefined;
  const q = `region=${region}`;
  const arn = encodeURIComponent(resource);
  if (service === 'acm' && rest.startsWith('certificate/'))
    return `${host}/acm/home?${q}#/certificates/${encodeURIComponent(rest.slice('certificate/'.length))}`;
  if (service === 'elasticloadbalancing') {
    if (rest.startsWith('loadbalancer/')) return `${host}/ec2/home?${q}#LoadBalancer:loadBalancerArn=${arn}`;
    if (rest.startsWith('targetgroup/')) return `${host}/ec2/home?${q}#TargetGroup:targetGroupArn=${arn}`;
    const l = /^listener(?:-rule)?\/((?:app|net)\/[^/]+\/[^/]+\/[^/]+)/.exec(rest);
    if (l) {
      const listener = encodeURIComponent(`arn:${partition}:elasticloadbalancing:${region}:${m[4]}:listener/${l[1]}`);
      return `${host}/ec2/home?${q}#ListenerDetails:listenerArn=${listener}`;
    }
  }
  if (service === 'eks' && rest.startsWith('cluster/'))
    return `${host}/eks/home?${q}#/clusters/${encodeURIComponent(rest.slice('cluster/'.length))}`;
  return undefined;
}
