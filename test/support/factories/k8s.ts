/**
 * Kubernetes objects in their wire shape (`kubectl get -o json`), as chart kube-prometheus-stack
 * 45.27.2 and the Prometheus operator render them for release `kube-prometheus-stack` in
 * `monitoring`. `labKubernetesState()` is the lab's healthy stack; the `make*` factories build
 * variants.
 */
import { readFileSync } from 'node:fs';
import { decodeReleaseSecret, encodeReleaseSecret } from '../../../lib/helm/release';
import type { K8sObject, KubernetesState } from '../../../lib/snapshot/types';
import { STACK_CRDS } from '../../../lib/expected/types';
import { LAB_CERT_ARN, LAB_DOMAIN, labValues } from './expected';
import { renderManifest } from './helm';

export const NS = 'monitoring';
export const RELEASE = 'kube-prometheus-stack';
export const LAB_TG_PROMETHEUS_ARN =
  'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/k8s-monitori-kubeprom-3f1c2a9b7e/6c8d2e4f1a3b5c7d';
export const LAB_TG_GRAFANA_ARN =
  'arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/k8s-monitori-kubeprom-9a8b7c6d5e/1f2e3d4c5b6a7988';
export const LAB_ALB_DNS = 'myeks-ingress-alb-1234567890.ap-northeast-2.elb.amazonaws.com';
export const CREATED = '2026-11-01T09:00:00Z';

const CHART_LABELS = {
  'app.kubernetes.io/managed-by': 'Helm',
  'app.kubernetes.io/instance': RELEASE,
  'app.kubernetes.io/part-of': 'kube-prometheus-stack',
  'app.kubernetes.io/version': '45.27.2',
  chart: 'kube-prometheus-stack-45.27.2',
  release: RELEASE,
  heritage: 'Helm',
};

let uidCounter = 0;
function uid(): string {
  uidCounter += 1;
  return `7c1e0b2a-0000-4000-8000-${String(uidCounter).padStart(12, '0')}`;
}

function meta(
  name: string,
  namespace: string | undefined,
  extra: Partial<K8sObject['metadata']> = {},
): K8sObject['metadata'] {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: uid(),
    resourceVersion: '12345',
    creationTimestamp: CREATED,
    ...extra,
  };
}

export function makeNamespace(name = NS): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(name, undefined, { labels: { 'kubernetes.io/metadata.name': name } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function nodeName(i: number): string {
  return `ip-192-168-${1 + (i % 3)}-${10 + i}.ap-northeast-2.compute.internal`;
}

export function makeNode(
  name: string,
  opts: {
    unschedulable?: boolean;
    taints?: Array<{ key: string; value?: string; effect: string }>;
    ready?: boolean;
  } = {},
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(name, undefined, {
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 't3.medium',
        'topology.kubernetes.io/zone': 'ap-northeast-2a',
        'eks.amazonaws.com/nodegroup': 'ng1',
      },
    }),
    spec: {
      providerID: `aws:///ap-northeast-2a/i-0${name.length}abc`,
      ...(opts.unschedulable ? { unschedulable: true } : {}),
      ...(opts.taints ? { taints: opts.taints } : {}),
    },
    status: {
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', reason: 'KubeletReady' }],
      nodeInfo: { kubeletVersion: 'v1.28.5-eks-5e0fdde', osImage: 'Amazon Linux 2', architecture: 'amd64' },
    },
  };
}

function container(name: string, image: string, args: string[], ports: Array<{ name: string; containerPort: number }>) {
  return {
    name,
    image,
    args,
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
    resources: {},
    imagePullPolicy: 'IfNotPresent',
  };
}

export function makeStatefulSet(
  opts: { name?: string; replicas?: number; readyReplicas?: number; args?: string[]; domain?: string } = {},
): K8sObject {
  const name = opts.name ?? 'prometheus-kube-prometheus-stack-prometheus';
  const domain = opts.domain ?? LAB_DOMAIN;
  const replicas = opts.replicas ?? 1;
  const ready = opts.readyReplicas ?? replicas;
  const args = opts.args ?? [
    '--web.console.templates=/etc/prometheus/consoles',
    '--web.console.libraries=/etc/prometheus/console_libraries',
    '--config.file=/etc/prometheus/config_out/prometheus.env.yaml',
    '--web.enable-lifecycle',
    `--web.external-url=http://prometheus.${domain}/`,
    '--web.route-prefix=/',
    '--storage.tsdb.retention.time=5d',
    '--storage.tsdb.retention.size=10GiB',
    '--storage.tsdb.path=/prometheus',
    '--storage.tsdb.wal-compression',
    '--web.config.file=/etc/prometheus/web_config/web-config.yaml',
  ];
  const labels = {
    app: 'prometheus',
    'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/name': 'prometheus',
    'operator.prometheus.io/name': 'kube-prometheus-stack-prometheus',
    'operator.prometheus.io/shard': '0',
    prometheus: 'kube-prometheus-stack-prometheus',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(name, NS, {
      labels: { ...labels, release: RELEASE },
      ownerReferences: [
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'Prometheus',
          name: 'kube-prometheus-stack-prometheus',
          uid: uid(),
        },
      ],
    }),
    spec: {
      replicas,
      serviceName: 'prometheus-operated',
      podManagementPolicy: 'Parallel',
      selector: {
        matchLabels: {
          app: 'prometheus',
          'app.kubernetes.io/instance': 'kube-prometheus-stack-prometheus',
          prometheus: 'kube-prometheus-stack-prometheus',
        },
      },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            container('prometheus', 'quay.io/prometheus/prometheus:v2.44.0', args, [
              { name: 'http-web', containerPort: 9090 },
            ]),
            container(
              'config-reloader',
              'quay.io/prometheus-operator/prometheus-config-reloader:v0.65.1',
              ['--listen-address=:8080'],
              [{ name: 'reloader-web', containerPort: 8080 }],
            ),
          ],
          serviceAccountName: 'kube-prometheus-stack-prometheus',
          securityContext: { fsGroup: 2000, runAsNonRoot: true, runAsUser: 1000 },
        },
      },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'prometheus-kube-prometheus-stack-prometheus-db' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'gp3',
            resources: { requests: { storage: '20Gi' } },
          },
        },
      ],
    },
    status: {
      observedGeneration: 1,
      replicas,
      readyReplicas: ready,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      availableReplicas: ready,
    },
  };
}

export function makeDeployment(
  name: string,
  opts: {
    replicas?: number;
    available?: number;
    image?: string;
    containerName?: string;
    podLabels?: Record<string, string>;
    claimName?: string;
    ports?: Array<{ name: string; containerPort: number }>;
  } = {},
): K8sObject {
  const replicas = opts.replicas ?? 1;
  const available = opts.available ?? replicas;
  const podLabels = opts.podLabels ?? { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': RELEASE };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, NS, {
      labels: { ...CHART_LABELS, ...podLabels },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    }),
    spec: {
      replicas,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: {
          containers: [
            container(
              opts.containerName ?? name,
              opts.image ?? 'example/image:1',
              [],
              opts.ports ?? [{ name: 'http', containerPort: 8080 }],
            ),
          ],
          ...(opts.claimName
            ? { volumes: [{ name: 'storage', persistentVolumeClaim: { claimName: opts.claimName } }] }
            : {}),
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      ...(available < replicas ? { unavailableReplicas: replicas - available } : {}),
      conditions: [
        {
          type: 'Available',
          status: available >= replicas && available > 0 ? 'True' : 'False',
          reason: available >= replicas && available > 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          lastTransitionTime: CREATED,
        },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastTransitionTime: CREATED },
      ],
    },
  };
}

export const NODE_EXPORTER_LABELS = {
  'app.kubernetes.io/name': 'prometheus-node-exporter',
  'app.kubernetes.io/instance': RELEASE,
};

export function makeDaemonSet(
  opts: {
    name?: string;
    desired?: number;
    ready?: number;
    tolerations?: Array<Record<string, string>>;
    port?: number;
  } = {},
): K8sObject {
  const name = opts.name ?? 'kube-prometheus-stack-prometheus-node-exporter';
  const desired = opts.desired ?? 3;
  const ready = opts.ready ?? desired;
  const port = opts.port ?? 9100;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(name, NS, { labels: { ...CHART_LABELS, ...NODE_EXPORTER_LABELS, jobLabel: 'node-exporter' } }),
    spec: {
      selector: { matchLabels: NODE_EXPORTER_LABELS },
      template: {
        metadata: { labels: { ...NODE_EXPORTER_LABELS, jobLabel: 'node-exporter' } },
        spec: {
          containers: [
            container(
              'node-exporter',
              'quay.io/prometheus/node-exporter:v1.5.0',
              [
                '--path.procfs=/host/proc',
                '--path.sysfs=/host/sys',
                '--path.rootfs=/host/root',
                `--web.listen-address=[$(HOST_IP)]:${port}`,
              ],
              [{ name: 'http-metrics', containerPort: port }],
            ),
          ],
          hostNetwork: true,
          hostPID: true,
          tolerations: opts.tolerations ?? [{ effect: 'NoSchedule', operator: 'Exists' }],
        },
      },
    },
    status: {
      currentNumberScheduled: desired,
      desiredNumberScheduled: desired,
      numberAvailable: ready,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: 1,
      updatedNumberScheduled: desired,
      ...(ready < desired ? { numberUnavailable: desired - ready } : {}),
    },
  };
}

export function makePod(
  name: string,
  owner: { kind: string; name: string },
  nodeName: string,
  labels: Record<string, string>,
  phase = 'Running',
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, NS, {
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: uid() }],
    }),
    spec: { nodeName, containers: [{ name: 'main', image: 'x' }] },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }],
      podIP: '192.168.1.50',
    },
  };
}

export function makeService(
  name: string,
  ports: Array<{ name: string; port: number; targetPort: number | string }>,
  selector: Record<string, string>,
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, NS, { labels: { ...CHART_LABELS } }),
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.100.0.10',
      ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
      selector,
    },
  };
}

export function makePvc(
  opts: {
    name?: string;
    phase?: string;
    storageClassName?: string;
    size?: string;
    volumeName?: string;
    accessModes?: string[];
  } = {},
): K8sObject {
  const name =
    opts.name ?? 'prometheus-kube-prometheus-stack-prometheus-db-prometheus-kube-prometheus-stack-prometheus-0';
  const phase = opts.phase ?? 'Bound';
  const size = opts.size ?? '20Gi';
  const accessModes = opts.accessModes ?? ['ReadWriteOnce'];
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name, NS, {
      annotations:
        phase === 'Bound'
          ? { 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' }
          : { 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' },
      finalizers: ['kubernetes.io/pvc-protection'],
    }),
    spec: {
      accessModes,
      resources: { requests: { storage: size } },
      storageClassName: opts.storageClassName ?? 'gp3',
      volumeMode: 'Filesystem',
      ...(phase === 'Bound'
        ? { volumeName: opts.volumeName ?? `pvc-${name.length}0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b` }
        : {}),
    },
    status: phase === 'Bound' ? { phase, accessModes, capacity: { storage: size } } : { phase },
  };
}

export function makePv(
  name: string,
  claim: { namespace: string; name: string },
  opts: { phase?: string; storageClassName?: string; size?: string } = {},
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: meta(name, undefined, {
      annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' },
      finalizers: ['kubernetes.io/pv-protection', 'external-attacher/ebs-csi-aws-com'],
    }),
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: opts.size ?? '20Gi' },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.namespace,
        name: claim.name,
        uid: uid(),
      },
      csi: { driver: 'ebs.csi.aws.com', fsType: 'ext4', volumeHandle: 'vol-0abc123def4567890' },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: opts.storageClassName ?? 'gp3',
      volumeMode: 'Filesystem',
    },
    status: { phase: opts.phase ?? 'Bound' },
  };
}

export function makeStorageClass(name = 'gp3', provisioner = 'ebs.csi.aws.com'): K8sObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: meta(name, undefined, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
    provisioner,
    parameters: { type: 'gp3', allowAutoIOPSPerGBIncrease: 'true', encrypted: 'true' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}

export function albAnnotations(certArn = LAB_CERT_ARN): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/certificate-arn': certArn,
    'alb.ingress.kubernetes.io/group.name': 'study',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}, {"HTTP":80}]',
    'alb.ingress.kubernetes.io/load-balancer-name': 'myeks-ingress-alb',
    'alb.ingress.kubernetes.io/scheme': 'internet-facing',
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    'alb.ingress.kubernetes.io/success-codes': '200-399',
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'meta.helm.sh/release-name': RELEASE,
    'meta.helm.sh/release-namespace': NS,
  };
}

export function makeIngress(
  name: string,
  host: string,
  path: string,
  pathType: string,
  service: { name: string; port: number },
  opts: { annotations?: Record<string, string>; lbHostname?: string | null; className?: string } = {},
): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(name, NS, {
      labels: { ...CHART_LABELS },
      annotations: opts.annotations ?? albAnnotations(),
      generation: 1,
    }),
    spec: {
      ingressClassName: opts.className ?? 'alb',
      rules: [
        {
          host,
          http: {
            paths: [{ path, pathType, backend: { service: { name: service.name, port: { number: service.port } } } }],
          },
        },
      ],
    },
    status: {
      loadBalancer: opts.lbHostname === null ? {} : { ingress: [{ hostname: opts.lbHostname ?? LAB_ALB_DNS }] },
    },
  };
}

export function makeCrd(name: string, established = true): K8sObject {
  const [plural, ...group] = name.split('.');
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: meta(name, undefined, { annotations: { 'controller-gen.kubebuilder.io/version': 'v0.11.1' } }),
    spec: {
      group: group.join('.'),
      names: { plural, kind: plural, listKind: `${plural}List`, singular: plural.replace(/s$/, '') },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true }],
    },
    status: {
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
        {
          type: 'Established',
          status: established ? 'True' : 'False',
          reason: established ? 'InitialNamesAccepted' : 'Installing',
        },
      ],
      acceptedNames: { plural, kind: plural },
      storedVersions: ['v1'],
    },
  };
}

export function makeServiceMonitor(name: string): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta(name, NS, { labels: { ...CHART_LABELS, app: name.replace(`${RELEASE}-`, '') } }),
    spec: { endpoints: [{ port: 'http-metrics', interval: '15s' }], selector: { matchLabels: { release: RELEASE } } },
  };
}

export function makePrometheusCr(opts: { domain?: string; spec?: Record<string, unknown> } = {}): K8sObject {
  const domain = opts.domain ?? LAB_DOMAIN;
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: meta('kube-prometheus-stack-prometheus', NS, {
      labels: { ...CHART_LABELS, app: 'kube-prometheus-stack-prometheus' },
      generation: 1,
    }),
    spec: {
      enableAdminAPI: false,
      evaluationInterval: '15s',
      externalUrl: `http://prometheus.${domain}/`,
      image: 'quay.io/prometheus/prometheus:v2.44.0',
      listenLocal: false,
      logFormat: 'logfmt',
      logLevel: 'info',
      paused: false,
      podMonitorSelector: {},
      portName: 'http-web',
      replicas: 1,
      retention: '5d',
      retentionSize: '10GiB',
      routePrefix: '/',
      scrapeInterval: '15s',
      serviceAccountName: 'kube-prometheus-stack-prometheus',
      serviceMonitorSelector: {},
      shards: 1,
      storage: {
        volumeClaimTemplate: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '20Gi' } },
            storageClassName: 'gp3',
          },
        },
      },
      version: 'v2.44.0',
      ...(opts.spec ?? {}),
    },
    status: { availableReplicas: 1, paused: false, replicas: 1, unavailableReplicas: 0, updatedReplicas: 1 },
  };
}

export function makeTargetGroupBinding(
  name: string,
  tgArn: string,
  service: { name: string; port: number },
): K8sObject {
  return {
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: meta(name, NS, {
      labels: { 'ingress.k8s.aws/stack': 'study' },
      finalizers: ['elbv2.k8s.aws/resources'],
      generation: 1,
    }),
    spec: {
      ipAddressType: 'ipv4',
      networking: {
        ingress: [
          {
            from: [{ securityGroup: { groupID: 'sg-0a1b2c3d4e5f60718' } }],
            ports: [{ port: service.port === 80 ? 3000 : service.port, protocol: 'TCP' }],
          },
        ],
      },
      serviceRef: { name: service.name, port: service.port },
      targetGroupARN: tgArn,
      targetType: 'ip',
    },
    status: { observedGeneration: 1 },
  };
}

export const labReleaseConfig = labValues;

/**
 * The release's two revisions as Helm writes them, each carrying its manifest: by default the
 * manifest of the lab's healthy objects (`labManifest`), as `helm install` + one upgrade leave it.
 */
export function labReleaseSecrets(
  domain = LAB_DOMAIN,
  certArn = LAB_CERT_ARN,
  manifest: string = labManifest(domain, certArn),
): K8sObject[] {
  const config = labReleaseConfig(domain, certArn);
  const common = {
    name: RELEASE,
    namespace: NS,
    chartName: 'kube-prometheus-stack',
    chartVersion: '45.27.2',
    appVersion: 'v0.65.1',
    config,
  };
  return [
    encodeReleaseSecret({
      ...common,
      revision: 1,
      status: 'superseded',
      lastDeployed: '2026-11-01T09:00:00Z',
      manifest,
    }),
    encodeReleaseSecret({
      ...common,
      revision: 2,
      status: 'deployed',
      lastDeployed: '2026-11-02T09:00:00Z',
      manifest,
    }),
  ];
}

export interface LabK8sOptions {
  nodes?: number;
  domain?: string;
  certArn?: string;
}

/** The lab's healthy stack: 3 nodes, every component ready, gp3 volumes bound, both ingresses up. */
export function labKubernetesState(opts: LabK8sOptions = {}): KubernetesState {
  const nodeCount = opts.nodes ?? 3;
  const domain = opts.domain ?? LAB_DOMAIN;
  const certArn = opts.certArn ?? LAB_CERT_ARN;
  const nodes = Array.from({ length: nodeCount }, (_, i) => makeNode(nodeName(i)));
  const promPvc = makePvc({ volumeName: 'pvc-5b0e6f3a-8d2c-4e71-9a4b-1c2d3e4f5a6b' });
  const grafanaPvc = makePvc({
    name: 'kube-prometheus-stack-grafana',
    size: '10Gi',
    volumeName: 'pvc-0d9c8b7a-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
  });
  const grafanaLabels = { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': RELEASE };
  const ksmLabels = { 'app.kubernetes.io/name': 'kube-state-metrics', 'app.kubernetes.io/instance': RELEASE };
  const operatorLabels = { app: 'kube-prometheus-stack-operator', release: RELEASE };
  const ds = makeDaemonSet({ desired: nodeCount });
  const nodeExporterPods = nodes.map((n, i) =>
    makePod(
      `kube-prometheus-stack-prometheus-node-exporter-${(i + 10).toString(36)}x${i}q`,
      { kind: 'DaemonSet', name: ds.metadata.name },
      n.metadata.name,
      NODE_EXPORTER_LABELS,
    ),
  );
  const sts = makeStatefulSet({ domain });
  const promPod = makePod(
    'prometheus-kube-prometheus-stack-prometheus-0',
    { kind: 'StatefulSet', name: sts.metadata.name },
    nodes[0].metadata.name,
    sts.spec.template.metadata.labels,
  );
  const smNames = [
    'apiserver',
    'coredns',
    'kube-proxy',
    'kubelet',
    'operator',
    'prometheus',
    'grafana',
    'kube-state-metrics',
    'prometheus-node-exporter',
  ].map((s) => `${RELEASE}-${s}`);
  const state: KubernetesState = {
    namespaces: [makeNamespace()],
    nodes,
    statefulSets: [sts],
    daemonSets: [ds],
    deployments: [
      makeDeployment('kube-prometheus-stack-grafana', {
        image: 'docker.io/grafana/grafana:9.5.3',
        containerName: 'grafana',
        podLabels: grafanaLabels,
        claimName: 'kube-prometheus-stack-grafana',
        ports: [{ name: 'grafana', containerPort: 3000 }],
      }),
      makeDeployment('kube-prometheus-stack-kube-state-metrics', {
        image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.8.2',
        containerName: 'kube-state-metrics',
        podLabels: ksmLabels,
        ports: [{ name: 'http', containerPort: 8080 }],
      }),
      makeDeployment('kube-prometheus-stack-operator', {
        image: 'quay.io/prometheus-operator/prometheus-operator:v0.65.1',
        containerName: 'kube-prometheus-stack',
        podLabels: operatorLabels,
        ports: [{ name: 'https', containerPort: 10250 }],
      }),
    ],
    pods: [promPod, ...nodeExporterPods],
    services: [
      makeService('kube-prometheus-stack-prometheus', [{ name: 'http-web', port: 9090, targetPort: 9090 }], {
        app: 'prometheus',
        prometheus: 'kube-prometheus-stack-prometheus',
      }),
      makeService('kube-prometheus-stack-grafana', [{ name: 'http-web', port: 80, targetPort: 3000 }], grafanaLabels),
      makeService(
        'kube-prometheus-stack-kube-state-metrics',
        [{ name: 'http', port: 8080, targetPort: 8080 }],
        ksmLabels,
      ),
      makeService(
        'kube-prometheus-stack-prometheus-node-exporter',
        [{ name: 'http-metrics', port: 9100, targetPort: 9100 }],
        NODE_EXPORTER_LABELS,
      ),
      makeService(
        'kube-prometheus-stack-operator',
        [{ name: 'https', port: 443, targetPort: 'https' }],
        operatorLabels,
      ),
    ],
    endpoints: [],
    persistentVolumeClaims: [promPvc, grafanaPvc],
    persistentVolumes: [
      makePv(promPvc.spec.volumeName, { namespace: NS, name: promPvc.metadata.name }),
      makePv(grafanaPvc.spec.volumeName, { namespace: NS, name: grafanaPvc.metadata.name }, { size: '10Gi' }),
    ],
    storageClasses: [makeStorageClass('gp2', 'kubernetes.io/aws-ebs'), makeStorageClass('gp3')],
    ingresses: [
      makeIngress(
        'kube-prometheus-stack-prometheus',
        `prometheus.${domain}`,
        '/*',
        'ImplementationSpecific',
        { name: 'kube-prometheus-stack-prometheus', port: 9090 },
        { annotations: albAnnotations(certArn) },
      ),
      makeIngress(
        'kube-prometheus-stack-grafana',
        `grafana.${domain}`,
        '/',
        'Prefix',
        { name: 'kube-prometheus-stack-grafana', port: 80 },
        { annotations: albAnnotations(certArn) },
      ),
    ],
    customResourceDefinitions: [
      ...STACK_CRDS.map((n) => makeCrd(n)),
      makeCrd('targetgroupbindings.elbv2.k8s.aws'),
      makeCrd('ingressclassparams.elbv2.k8s.aws'),
    ],
    serviceMonitors: smNames.map(makeServiceMonitor),
    prometheuses: [makePrometheusCr({ domain })],
    targetGroupBindings: [
      makeTargetGroupBinding('k8s-monitori-kubeprom-3f1c2a9b7e', LAB_TG_PROMETHEUS_ARN, {
        name: 'kube-prometheus-stack-prometheus',
        port: 9090,
      }),
      makeTargetGroupBinding('k8s-monitori-kubeprom-9a8b7c6d5e', LAB_TG_GRAFANA_ARN, {
        name: 'kube-prometheus-stack-grafana',
        port: 80,
      }),
    ],
    helmReleases: [],
  };
  state.helmReleases = labReleaseSecrets(domain, certArn, renderManifest(state)).map((s) => decodeReleaseSecret(s));
  return state;
}

/** The manifest of the lab's healthy install (what `helm get manifest kube-prometheus-stack` prints). */
export function labManifest(domain = LAB_DOMAIN, certArn = LAB_CERT_ARN): string {
  return renderManifest(labKubernetesState({ domain, certArn }));
}

/** Finds an object by name in a list (test helper that fails loudly). */
export function byName(list: K8sObject[], name: string): K8sObject {
  const o = list.find((x) => x.metadata.name === name);
  if (!o) throw new Error(`fixture has no ${name}`);
  return o;
}

export function readJsonFixture<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
