/**
 * Large clusters with objects of the size the API server really sends: an EKS worker node as
 * `kubectl get node -o json` prints it (labels and annotations the kubelet, the VPC CNI and the
 * EBS CSI driver set, managedFields, addresses, capacity/allocatable, five conditions, the image
 * list, nodeInfo) is 6–8 KB; a node-exporter pod of the chart (managedFields, the container with
 * its args, mounts and probes, the DaemonSet's tolerations and node affinity, status with
 * container statuses) is 5–6 KB.
 *
 * `largeClusterState({ nodes: 5000 })` is the healthy lab stack on that many nodes: one
 * node-exporter pod per node in `monitoring`, the DaemonSet counting them. The other pods of the
 * cluster (`clusterPods` in all, 100 000 by default) live in 40 team namespaces; they are described
 * by `otherPods` (a count and a generator) rather than held in memory, and the fake API server
 * serves them wherever the real one would (a cluster-wide pod list, the team namespaces).
 */
import type { K8sObject, KubernetesState } from '../../../lib/snapshot/types';
import { CREATED, labKubernetesState, NODE_EXPORTER_LABELS, NS, RELEASE } from './k8s';

const ZONES = ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'];

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
const uidOf = (kind: number, i: number) =>
  `${hex(kind, 8)}-${hex(i >> 16, 4)}-4${hex(i, 3)}-8${hex(i * 7, 3)}-${hex(i * 2654435761, 12)}`;

/** Node i's private address and name, as EKS names nodes in a /16 VPC. */
export function largeNodeName(i: number): string {
  return `ip-10-${Math.floor(i / 250) % 256}-${i % 250}-${10 + (i % 200)}.ap-northeast-2.compute.internal`;
}

function nodeIp(name: string): string {
  return name.slice(3, name.indexOf('.')).split('-').join('.');
}

/** The images a worker node of the lab reports (kubelet caps the list at 50; a busy node shows 20–40). */
const NODE_IMAGES = [
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/amazon-k8s-cni', 'v1.15.4-eksbuild.1', 48_532_118],
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/amazon-k8s-cni-init', 'v1.15.4-eksbuild.1', 57_238_901],
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/kube-proxy', 'v1.28.2-minimal-eksbuild.2', 30_413_722],
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/pause', '3.5', 298_689],
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/aws-ebs-csi-driver', 'v1.25.0', 30_125_436],
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/csi-node-driver-registrar', 'v2.9.0-eks-1-28-7', 9_126_012],
  ['602401143452.dkr.ecr.ap-northeast-2.amazonaws.com/eks/livenessprobe', 'v2.11.0-eks-1-28-7', 8_671_220],
  ['quay.io/prometheus/node-exporter', 'v1.5.0', 11_505_417],
  ['quay.io/prometheus/prometheus', 'v2.44.0', 92_106_331],
  ['quay.io/prometheus-operator/prometheus-config-reloader', 'v0.65.1', 5_176_283],
  ['docker.io/grafana/grafana', '9.5.3', 98_437_102],
  ['registry.k8s.io/kube-state-metrics/kube-state-metrics', 'v2.8.2', 11_732_546],
  ['public.ecr.aws/eks/aws-load-balancer-controller', 'v2.6.2', 27_810_222],
  ['docker.io/library/nginx', '1.25.3', 70_521_883],
  ['docker.io/bitnami/redis', '7.2.3-debian-11-r1', 38_220_119],
  ['ghcr.io/team-apps/orders-api', 'v3.14.2', 61_284_009],
  ['ghcr.io/team-apps/payments-worker', 'v1.9.0', 44_908_117],
  ['docker.io/fluent/fluent-bit', '2.1.10', 31_027_541],
];

function imageList(i: number) {
  return NODE_IMAGES.map(([repo, tag, size], j) => ({
    names: [`${repo}@sha256:${hex(i * 31 + j * 7919, 8)}${'3f9a1c5e7b2d4f60'.repeat(3)}${hex(j, 8)}`, `${repo}:${tag}`],
    sizeBytes: Number(size) + j,
  }));
}

const condition = (type: string, status: string, reason: string, message: string) => ({
  type,
  status,
  lastHeartbeatTime: '2026-11-26T08:55:12Z',
  lastTransitionTime: CREATED,
  reason,
  message,
});

/** A Ready EKS worker node (t3.large, Amazon Linux 2, managed node group) of realistic size. */
export function largeNode(i: number): K8sObject {
  const name = largeNodeName(i);
  const ip = nodeIp(name);
  const zone = ZONES[i % 3];
  const instance = `i-0${hex(i * 2654435761, 16)}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: uidOf(1, i),
      resourceVersion: String(48_000_000 + i),
      creationTimestamp: CREATED,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': 't3.large',
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': 'ng1',
        'eks.amazonaws.com/nodegroup-image': 'ami-0c2e9ef3e1f8b5a4d',
        'eks.amazonaws.com/sourceLaunchTemplateId': 'lt-0a1b2c3d4e5f60718',
        'eks.amazonaws.com/sourceLaunchTemplateVersion': '1',
        'failure-domain.beta.kubernetes.io/region': 'ap-northeast-2',
        'failure-domain.beta.kubernetes.io/zone': zone,
        'k8s.io/cloud-provider-aws': 'a94f2f1d0d3c9e8b7a6f5e4d3c2b1a09',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 't3.large',
        'topology.ebs.csi.aws.com/zone': zone,
        'topology.kubernetes.io/region': 'ap-northeast-2',
        'topology.kubernetes.io/zone': zone,
      },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': ip,
        'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"${instance}"}`,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      managedFields: [
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:annotations': {
                '.': {},
                'f:alpha.kubernetes.io/provided-node-ip': {},
                'f:volumes.kubernetes.io/controller-managed-attach-detach': {},
              },
              'f:labels': {
                '.': {},
                'f:beta.kubernetes.io/arch': {},
                'f:beta.kubernetes.io/os': {},
                'f:eks.amazonaws.com/capacityType': {},
                'f:eks.amazonaws.com/nodegroup': {},
                'f:eks.amazonaws.com/nodegroup-image': {},
                'f:eks.amazonaws.com/sourceLaunchTemplateId': {},
                'f:eks.amazonaws.com/sourceLaunchTemplateVersion': {},
                'f:kubernetes.io/arch': {},
                'f:kubernetes.io/hostname': {},
                'f:kubernetes.io/os': {},
              },
            },
            'f:spec': { 'f:providerID': {} },
          },
        },
        {
          manager: 'aws-cloud-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:labels': {
                'f:beta.kubernetes.io/instance-type': {},
                'f:failure-domain.beta.kubernetes.io/region': {},
                'f:failure-domain.beta.kubernetes.io/zone': {},
                'f:k8s.io/cloud-provider-aws': {},
                'f:node.kubernetes.io/instance-type': {},
                'f:topology.kubernetes.io/region': {},
                'f:topology.kubernetes.io/zone': {},
              },
            },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-11-26T08:55:12Z',
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:allocatable': { 'f:cpu': {}, 'f:ephemeral-storage': {}, 'f:memory': {}, 'f:pods': {} },
              'f:conditions': {
                'k:{"type":"DiskPressure"}': { 'f:lastHeartbeatTime': {} },
                'k:{"type":"MemoryPressure"}': { 'f:lastHeartbeatTime': {} },
                'k:{"type":"PIDPressure"}': { 'f:lastHeartbeatTime': {} },
                'k:{"type":"Ready"}': {
                  'f:lastHeartbeatTime': {},
                  'f:lastTransitionTime': {},
                  'f:message': {},
                  'f:reason': {},
                  'f:status': {},
                },
              },
              'f:images': {},
              'f:nodeInfo': { 'f:bootID': {} },
            },
          },
        },
      ],
    },
    spec: { providerID: `aws:///${zone}/${instance}` },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'InternalDNS', address: name },
        { type: 'Hostname', address: name },
      ],
      allocatable: {
        cpu: '1930m',
        'ephemeral-storage': '18242267924',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '7291520Ki',
        pods: '35',
      },
      capacity: {
        cpu: '2',
        'ephemeral-storage': '20959212Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '8038528Ki',
        pods: '35',
      },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: imageList(i),
      nodeInfo: {
        architecture: 'amd64',
        bootID: uidOf(2, i),
        containerRuntimeVersion: 'containerd://1.7.2',
        kernelVersion: '5.10.198-187.748.amzn2.x86_64',
        kubeProxyVersion: 'v1.28.3-eks-e71965b',
        kubeletVersion: 'v1.28.3-eks-e71965b',
        machineID: hex(i * 40503, 8).repeat(4),
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2',
        systemUUID: `ec2${hex(i, 5)}-1b2c-3d4e-5f60-${hex(i * 97, 12)}`,
      },
    },
  };
}

const DS_NAME = 'kube-prometheus-stack-prometheus-node-exporter';
const DS_OWNER = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  name: DS_NAME,
  uid: '7c1e0b2a-0000-4000-8000-00000000d5e7',
  controller: true,
  blockOwnerDeletion: true,
};

/** The chart's node-exporter pod on a node, Running and Ready, with everything the API returns. */
export function largeNodeExporterPod(i: number, node: string): K8sObject {
  const name = `${DS_NAME}-${hex(i * 2654435761, 5).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)])}`;
  const ip = nodeIp(node);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${DS_NAME}-`,
      namespace: NS,
      uid: uidOf(3, i),
      resourceVersion: String(48_100_000 + i),
      creationTimestamp: CREATED,
      labels: {
        ...NODE_EXPORTER_LABELS,
        'app.kubernetes.io/component': 'metrics',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/part-of': 'prometheus-node-exporter',
        'app.kubernetes.io/version': '1.5.0',
        'controller-revision-hash': '6c9b8f7d5',
        'helm.sh/chart': 'prometheus-node-exporter-4.16.0',
        jobLabel: 'node-exporter',
        'pod-template-generation': '1',
        release: RELEASE,
      },
      annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' },
      ownerReferences: [DS_OWNER],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: CREATED,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': {
              'f:annotations': { '.': {}, 'f:cluster-autoscaler.kubernetes.io/safe-to-evict': {} },
              'f:generateName': {},
              'f:labels': { '.': {}, 'f:app.kubernetes.io/component': {}, 'f:app.kubernetes.io/instance': {} },
              'f:ownerReferences': { '.': {}, 'k:{"uid":"7c1e0b2a-0000-4000-8000-00000000d5e7"}': {} },
            },
            'f:spec': {
              'f:affinity': {
                '.': {},
                'f:nodeAffinity': { '.': {}, 'f:requiredDuringSchedulingIgnoredDuringExecution': {} },
              },
              'f:containers': { 'k:{"name":"node-exporter"}': { '.': {}, 'f:args': {}, 'f:image': {}, 'f:ports': {} } },
              'f:hostNetwork': {},
              'f:hostPID': {},
              'f:tolerations': {},
              'f:volumes': { 'k:{"name":"proc"}': {}, 'k:{"name":"root"}': {}, 'k:{"name":"sys"}': {} },
            },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: CREATED,
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:conditions': {
                'k:{"type":"ContainersReady"}': { '.': {}, 'f:status': {}, 'f:type': {} },
                'k:{"type":"Initialized"}': { '.': {}, 'f:status': {}, 'f:type': {} },
                'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} },
              },
              'f:containerStatuses': {},
              'f:hostIP': {},
              'f:phase': {},
              'f:podIP': {},
              'f:podIPs': { '.': {}, [`k:{"ip":"${ip}"}`]: { '.': {}, 'f:ip': {} } },
              'f:startTime': {},
            },
          },
        },
      ],
    },
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
          },
        },
      },
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'node-exporter',
          image: 'quay.io/prometheus/node-exporter:v1.5.0',
          imagePullPolicy: 'IfNotPresent',
          args: [
            '--path.procfs=/host/proc',
            '--path.sysfs=/host/sys',
            '--path.rootfs=/host/root',
            '--path.udev.data=/host/root/run/udev/data',
            '--web.listen-address=[$(HOST_IP)]:9100',
            '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)',
            '--collector.filesystem.fs-types-exclude=^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$',
          ],
          env: [{ name: 'HOST_IP', value: '0.0.0.0' }],
          ports: [{ name: 'http-metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }],
          livenessProbe: {
            httpGet: { path: '/', port: 9100, scheme: 'HTTP' },
            failureThreshold: 3,
            periodSeconds: 10,
            successThreshold: 1,
            timeoutSeconds: 1,
          },
          readinessProbe: {
            httpGet: { path: '/', port: 9100, scheme: 'HTTP' },
            failureThreshold: 3,
            periodSeconds: 10,
            successThreshold: 1,
            timeoutSeconds: 1,
          },
          resources: {},
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [
            { name: 'proc', mountPath: '/host/proc', readOnly: true },
            { name: 'sys', mountPath: '/host/sys', readOnly: true },
            { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
          ],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      hostNetwork: true,
      hostPID: true,
      nodeName: node,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 },
      serviceAccount: 'kube-prometheus-stack-prometheus-node-exporter',
      serviceAccountName: 'kube-prometheus-stack-prometheus-node-exporter',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoSchedule', operator: 'Exists' },
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node.kubernetes.io/pid-pressure', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
        { effect: 'NoSchedule', key: 'node.kubernetes.io/network-unavailable', operator: 'Exists' },
      ],
      volumes: [
        { name: 'proc', hostPath: { path: '/proc', type: '' } },
        { name: 'sys', hostPath: { path: '/sys', type: '' } },
        { name: 'root', hostPath: { path: '/', type: '' } },
      ],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED },
        { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED },
        { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED },
      ],
      hostIP: ip,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: CREATED,
      qosClass: 'BestEffort',
      containerStatuses: [
        {
          name: 'node-exporter',
          state: { running: { startedAt: CREATED } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'quay.io/prometheus/node-exporter:v1.5.0',
          imageID: `quay.io/prometheus/node-exporter@sha256:${'39c642b2b337e38c18e80266fb14383754178202f40103646337722a594d984c'}`,
          containerID: `containerd://${hex(i * 2654435761, 16)}${'a1b2c3d4e5f60718'.repeat(3)}`,
          started: true,
        },
      ],
    },
  };
}

function replicaSetOwner(app: string, i: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: `${app}-7d9f8c6b5`,
    uid: uidOf(5, i % 400),
    controller: true,
  };
}

/** Pod i of the rest of the cluster: an application replica in one of 40 team namespaces. */
export function largeAppPod(i: number, nodes: number): K8sObject {
  const node = largeNodeName(i % nodes);
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const app = `app-${i % 400}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-7d9f8c6b5-${hex(i * 2654435761, 5)}`,
      generateName: `${app}-7d9f8c6b5-`,
      namespace: teamNamespace(i),
      uid: uidOf(4, i),
      resourceVersion: String(49_000_000 + i),
      creationTimestamp: CREATED,
      labels: { app, 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [replicaSetOwner(app, i)],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: `ghcr.io/team-apps/${app}:v1.0.0`,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
      nodeName: node,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: CREATED }],
      hostIP: nodeIp(node),
      podIP: ip,
      podIPs: [{ ip }],
      startTime: CREATED,
      qosClass: 'Burstable',
    },
  };
}

export const teamNamespace = (i: number) => `team-${i % 40}`;

/** Objects the fake API server generates when listed instead of holding them (see FakeKubeApi). */
export interface GeneratedPods {
  count: number;
  namespaceOf(i: number): string;
  make(i: number): K8sObject;
}

export interface LargeCluster {
  kubernetes: KubernetesState;
  /** The pods of the cluster outside the stack's namespace. */
  otherPods: GeneratedPods;
}

/** The lab's healthy stack on `nodes` nodes, in a cluster of `clusterPods` pods. */
export function largeClusterState(opts: { nodes: number; clusterPods?: number }): LargeCluster {
  const k = labKubernetesState({ nodes: 1 });
  const nodes = Array.from({ length: opts.nodes }, (_, i) => largeNode(i));
  const ds = k.daemonSets[0];
  Object.assign(ds.status, {
    currentNumberScheduled: opts.nodes,
    desiredNumberScheduled: opts.nodes,
    numberAvailable: opts.nodes,
    numberReady: opts.nodes,
    updatedNumberScheduled: opts.nodes,
  });
  const prometheus = k.pods.find((p) => p.metadata.name.startsWith('prometheus-'));
  if (!prometheus) throw new Error('the lab state has no Prometheus pod');
  prometheus.spec.nodeName = nodes[0].metadata.name;
  k.nodes = nodes;
  k.pods = [prometheus, ...nodes.map((n, i) => largeNodeExporterPod(i, n.metadata.name))];
  const others = (opts.clusterPods ?? 100_000) - k.pods.length;
  return {
    kubernetes: k,
    otherPods: { count: Math.max(0, others), namespaceOf: teamNamespace, make: (i) => largeAppPod(i, opts.nodes) },
  };
}
