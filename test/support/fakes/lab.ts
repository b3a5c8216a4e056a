/** Boots the loopback fakes (AWS + Kubernetes API) seeded with the lab's healthy stack. */
import type { AwsState, KubernetesState } from '../../../lib/snapshot/types';
import { labAwsState } from '../factories/aws';
import { LAB_CERT_ARN } from '../factories/expected';
import type { CollectHints } from '../../../lib/collect/types';
import { labKubernetesState, type LabK8sOptions } from '../factories/k8s';
import type { GeneratedPods } from '../factories/k8s-large';
import { FakeAws } from './aws';
import { FakeKubeApi } from './k8s-api';
import { testPki } from './tls';

/** What the CLI derives from the lab's values to find things (namespace, release, ALB, certificate). */
export const LAB_HINTS: CollectHints = {
  namespace: 'monitoring',
  release: 'kube-prometheus-stack',
  albGroupName: 'study',
  loadBalancerName: 'myeks-ingress-alb',
  certificateArns: [LAB_CERT_ARN],
};

/**
 * `stackcheck verify` against the lab's fakes, as the live CLI tests run it: the EKS cluster, the
 * lab's domain and certificate, JSON out; the runtime families need peers these fakes do not play.
 */
export const LIVE_LAB_ARGS: string[] = [
  'verify',
  '--cluster',
  'myeks',
  '--region',
  'ap-northeast-2',
  '--domain',
  'example.com',
  '--cert-arn',
  LAB_CERT_ARN,
  '--skip',
  'prometheus,grafana,heartbeat',
  '--format',
  'json',
];

export interface LabFakes {
  aws: FakeAws;
  kube: FakeKubeApi;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLabFakes(
  opts: LabK8sOptions & {
    kubernetes?: KubernetesState;
    awsState?: AwsState;
    otherPods?: GeneratedPods;
    cacheJson?: boolean;
    /** The fake API server speaks HTTPS/1.1 only (no HTTP/2). */
    kubernetesHttp1Only?: boolean;
  } = {},
): Promise<LabFakes> {
  const aws = new FakeAws(opts.awsState ?? labAwsState());
  const kube = new FakeKubeApi(opts.kubernetes ?? labKubernetesState(opts));
  kube.otherPods = opts.otherPods;
  kube.cacheJson = opts.cacheJson ?? false;
  kube.http1Only = opts.kubernetesHttp1Only ?? false;
  await Promise.all([aws.start(), kube.start()]);
  aws.clusters.set('myeks', { name: 'myeks', endpoint: kube.url, caPem: testPki().caPem });
  return {
    aws,
    kube,
    env: aws.env(),
    async stop() {
      await Promise.all([aws.stop(), kube.stop()]);
    },
  };
}

/** Sets env vars for the duration of a test file; returns a restore function. */
export function useEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
