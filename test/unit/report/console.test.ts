import { consoleUrl } from '../../../lib/report/console';

describe('AWS console links', () => {
  it('links ACM certificates, load balancers, listeners (and rules, to their listener), target groups, EKS clusters', () => {
    expect(consoleUrl('arn:aws:acm:ap-northeast-2:111122223333:certificate/0f1e2d3c-4b5a')).toBe(
      'https://ap-northeast-2.console.aws.amazon.com/acm/home?region=ap-northeast-2#/certificates/0f1e2d3c-4b5a',
    );
    const lb = 'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:loadbalancer/app/myeks-ingress-alb/5e4d';
    expect(consoleUrl(lb)).toBe(
      `https://ap-northeast-2.console.aws.amazon.com/ec2/home?region=ap-northeast-2#LoadBalancer:loadBalancerArn=${encodeURIComponent(lb)}`,
    );
    const listener = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/alb/5e4d/8c9d';
    expect(consoleUrl(`${listener.replace(':listener/', ':listener-rule/')}/1a2b`)).toBe(
      `https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#ListenerDetails:listenerArn=${encodeURIComponent(listener)}`,
    );
    expect(consoleUrl('arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/k8s-x/6c8d')).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/ec2\/home\?region=eu-west-1#TargetGroup:targetGroupArn=arn%3Aaws/,
    );
    expect(consoleUrl('arn:aws:eks:us-east-1:111122223333:cluster/myeks')).toBe(
      'https://us-east-1.console.aws.amazon.com/eks/home?region=us-east-1#/clusters/myeks',
    );
    expect(consoleUrl('arn:aws-cn:acm:cn-north-1:111122223333:certificate/abc')).toBe(
      'https://console.amazonaws.cn/acm/home?region=cn-north-1#/certificates/abc',
    );
  });

  it('gives nothing for Kubernetes objects and ARNs of objects that were not found', () => {
    expect(consoleUrl('Deployment/monitoring/kube-prometheus-stack-grafana')).toBeUndefined();
    expect(consoleUrl('arn:aws:elasticloadbalancing:::loadbalancer/app/myeks-ingress-alb')).toBeUndefined();
    expect(consoleUrl('arn:aws:acm:::certificate/unknown')).toBeUndefined();
  });
});
