import { KubeConfig } from '@kubernetes/client-node';
import { eksClusterName } from '../../../lib/adapters/kube';

function kc(cluster: string, user: string): KubeConfig {
  const k = new KubeConfig();
  k.loadFromString(`apiVersion: v1
kind: Config
clusters:
  - name: '${cluster}'
    cluster: { server: 'https://127.0.0.1:6443' }
contexts:
  - name: ctx
    context: { cluster: '${cluster}', user: u }
current-context: ctx
users:
  - name: u
    user: ${user}
`);
  return k;
}

describe('eksClusterName', () => {
  it('reads the cluster ARN that aws eks update-kubeconfig names the cluster entry by', () => {
    expect(eksClusterName(kc('arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks', '{ token: t }'))).toBe('myeks');
    expect(eksClusterName(kc('arn:aws-cn:eks:cn-north-1:111122223333:cluster/prod-1', '{ token: t }'))).toBe('prod-1');
  });

  it("reads the credential plugin's --cluster-name (aws eks get-token) or -i (aws-iam-authenticator)", () => {
    const exec = (args: string) =>
      `{ exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [${args}] } }`;
    expect(eksClusterName(kc('lab', exec('eks, get-token, --cluster-name, myeks, --output, json')))).toBe('myeks');
    expect(eksClusterName(kc('lab', exec('token, -i, other')))).toBe('other');
  });

  it('says nothing for a kubeconfig that does not name an EKS cluster', () => {
    expect(eksClusterName(kc('kind-kind', '{ token: t }'))).toBeUndefined();
    expect(eksClusterName(kc('arn:aws:ecs:ap-northeast-2:111122223333:cluster/x', '{ token: t }'))).toBeUndefined();
  });
});
