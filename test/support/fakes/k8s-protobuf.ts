/**
 * The Kubernetes protobuf encoding of built-in objects, for the fake API server: what
 * kube-apiserver writes when a client's Accept header asks for `application/vnd.kubernetes.protobuf`
 * (client-go does, for speed). Written from the public definitions: the messages and field numbers
 * of k8s.io/api `core/v1/generated.proto`, k8s.io/apimachinery `pkg/apis/meta/v1/generated.proto`,
 * `pkg/runtime/generated.proto`, `pkg/api/resource/generated.proto`,
 * `pkg/util/intstr/generated.proto`, and the protobuf serializer (`pkg/runtime/serializer/protobuf`).
 *
 * The wire shape:
 * - A body is the 4 bytes `k8s\0` then a `runtime.Unknown`: typeMeta (1: {apiVersion 1, kind 2}),
 *   raw (2: the object's own message), contentEncoding (3) and contentType (4). The server writes
 *   the last two even when empty (`Unknown.NestedMarshalTo` writes them unconditionally), so every
 *   body ends `1a 00 22 00`.
 * - Fields are written in field-number order (the generated `MarshalToSizedBuffer` writes them
 *   backwards from the highest), repeated fields one tag per element (proto2, not packed), maps as
 *   repeated {key 1, value 2} entries sorted by key (Go's `sort.Strings`: byte order).
 * - Presence follows the Go types, not the JSON: a field whose Go type is not a pointer (strings,
 *   bools, integers, structs such as `metadata`, `spec`, `resources`, a condition's
 *   `lastTransitionTime`) is ALWAYS written, its zero value when the JSON leaves it out
 *   (`omitempty`); a pointer field (marked `?` below: `*bool`, `*int64`, `*Probe`, `*Time`…) only
 *   when set; empty repeated fields and maps not at all. Which fields are pointers was read from the
 *   `if m.X != nil` guards of the generated marshallers (k8s.io/api `core/v1/generated.pb.go`,
 *   apimachinery `pkg/apis/meta/v1/generated.pb.go`).
 * - `metav1.Time` is {seconds 1, nanos 2}; its marshaller writes only whole seconds (nanos is always
 *   0, and written) and nothing at all for the zero time (JSON `null`), so a non-pointer zero Time
 *   is its tag and a 0 length. `MicroTime` keeps microseconds in nanos. `resource.Quantity` is
 *   {string 1} (the JSON's string, which the server has already canonicalised); `IntOrString` is
 *   {type 1, intVal 2, strVal 3}, all three always written; `FieldsV1` is {Raw 1} holding the
 *   managed-fields JSON text.
 * - The items of a list carry no apiVersion/kind (the message has no TypeMeta; the envelope names
 *   the list's kind), so a JSON item's `apiVersion`/`kind` are dropped.
 *
 * The field table targets the current upstream definitions (Kubernetes 1.35-era `master`), so a
 * few non-pointer fields newer than the EKS 1.28 the fixtures mimic are written too (PodStatus and
 * PodCondition `observedGeneration`: 5 bytes a pod). A JSON member the table does not know throws,
 * naming the message and the member: the encoder exists to produce the real byte sizes, so nothing
 * may be dropped silently. Messages named in the table but not described (rare volume sources,
 * ephemeral containers…) throw the same way when an object uses them.
 */

/** Content type of the Kubernetes protobuf encoding. */
export const KUBE_PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** The magic number the protobuf serializer puts before the `runtime.Unknown` envelope. */
export const KUBE_PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * Messages: `member=number[:type][suffix]` for each field, member being the JSON name. The type is
 * `string` when left out; `int32`, `int64`, `bool`, `Time`, `MicroTime`, `Quantity`, `IntOrString`,
 * `FieldsV1`, `{}` (map<string, string>), `{Quantity}` (map<string, Quantity>) or a message of this
 * table. Suffix `[]` repeated, `?` a Go pointer (written only when set), `^` an embedded struct whose
 * members sit in the enclosing JSON object (Probe's handler, Volume's volume source…).
 * Transcribed from the .proto files named above (names, numbers, types; the JSON names are the
 * proto names but for the embedded structs) and the generated marshallers (which fields are
 * pointers); the byte-exact tests in test/unit/fakes/k8s-protobuf.test.ts pin a few by hand.
 */
const SCHEMA: Record<string, string> = {
  ObjectMeta: `
    name=1 generateName=2 namespace=3 selfLink=4 uid=5 resourceVersion=6 generation=7:int64
    creationTimestamp=8:Time deletionTimestamp=9:Time? deletionGracePeriodSeconds=10:int64?
    labels=11:{} annotations=12:{} ownerReferences=13:OwnerReference[] finalizers=14[]
    managedFields=17:ManagedFieldsEntry[]`,
  ListMeta: `
    selfLink=1 resourceVersion=2 continue=3 remainingItemCount=4:int64? shardInfo=5:ShardInfo?`,
  OwnerReference: `
    kind=1 name=3 uid=4 apiVersion=5 controller=6:bool? blockOwnerDeletion=7:bool?`,
  ManagedFieldsEntry: `
    manager=1 operation=2 apiVersion=3 time=4:Time? fieldsType=6 fieldsV1=7:FieldsV1? subresource=8`,
  LabelSelector: 'matchLabels=1:{} matchExpressions=2:LabelSelectorRequirement[]',
  LabelSelectorRequirement: 'key=1 operator=2 values=3[]',
  Status: `
    metadata=1:ListMeta status=2 message=3 reason=4 details=5:StatusDetails? code=6:int32`,
  StatusDetails: 'name=1 group=2 kind=3 causes=4:StatusCause[] retryAfterSeconds=5:int32 uid=6',
  StatusCause: 'reason=1 message=2 field=3',
  Pod: 'metadata=1:ObjectMeta spec=2:PodSpec status=3:PodStatus',
  PodList: 'metadata=1:ListMeta items=2:Pod[]',
  PodSpec: `
    volumes=1:Volume[] containers=2:Container[] restartPolicy=3
    terminationGracePeriodSeconds=4:int64? activeDeadlineSeconds=5:int64? dnsPolicy=6
    nodeSelector=7:{} serviceAccountName=8 serviceAccount=9 nodeName=10 hostNetwork=11:bool
    hostPID=12:bool hostIPC=13:bool securityContext=14:PodSecurityContext?
    imagePullSecrets=15:LocalObjectReference[] hostname=16 subdomain=17 affinity=18:Affinity?
    schedulerName=19 initContainers=20:Container[] automountServiceAccountToken=21:bool?
    tolerations=22:Toleration[] hostAliases=23:HostAlias[] priorityClassName=24 priority=25:int32?
    dnsConfig=26:PodDNSConfig? shareProcessNamespace=27:bool? readinessGates=28:PodReadinessGate[]
    runtimeClassName=29? enableServiceLinks=30:bool? preemptionPolicy=31? overhead=32:{Quantity}
    topologySpreadConstraints=33:TopologySpreadConstraint[]
    ephemeralContainers=34:EphemeralContainer[] setHostnameAsFQDN=35:bool? os=36:PodOS?
    hostUsers=37:bool? schedulingGates=38:PodSchedulingGate[] resourceClaims=39:PodResourceClaim[]
    resources=40:ResourceRequirements? hostnameOverride=41? schedulingGroup=43:PodSchedulingGroup?
    evictionResponders=44:EvictionResponder[]`,
  PodStatus: `
    phase=1 conditions=2:PodCondition[] message=3 reason=4 hostIP=5 podIP=6 startTime=7:Time?
    containerStatuses=8:ContainerStatus[] qosClass=9 initContainerStatuses=10:ContainerStatus[]
    nominatedNodeName=11 podIPs=12:PodIP[] ephemeralContainerStatuses=13:ContainerStatus[] resize=14
    resourceClaimStatuses=15:PodResourceClaimStatus[] hostIPs=16:HostIP[]
    observedGeneration=17:int64 extendedResourceClaimStatus=18:PodExtendedResourceClaimStatus?
    allocatedResources=19:{Quantity} resources=20:ResourceRequirements?
    nodeAllocatableResourceClaimStatuses=21:NodeAllocatableResourceClaimStatus[]
    volumeHealth=22:PodVolumeHealth[]`,
  Container: `
    name=1 image=2 command=3[] args=4[] workingDir=5 ports=6:ContainerPort[] env=7:EnvVar[]
    resources=8:ResourceRequirements volumeMounts=9:VolumeMount[] livenessProbe=10:Probe?
    readinessProbe=11:Probe? lifecycle=12:Lifecycle? terminationMessagePath=13 imagePullPolicy=14
    securityContext=15:SecurityContext? stdin=16:bool stdinOnce=17:bool tty=18:bool
    envFrom=19:EnvFromSource[] terminationMessagePolicy=20 volumeDevices=21:VolumeDevice[]
    startupProbe=22:Probe? resizePolicy=23:ContainerResizePolicy[] restartPolicy=24?
    restartPolicyRules=25:ContainerRestartRule[]`,
  ContainerPort: 'name=1 hostPort=2:int32 containerPort=3:int32 protocol=4 hostIP=5',
  EnvVar: 'name=1 value=2 valueFrom=3:EnvVarSource?',
  EnvVarSource: `
    fieldRef=1:ObjectFieldSelector? resourceFieldRef=2:ResourceFieldSelector?
    configMapKeyRef=3:ConfigMapKeySelector? secretKeyRef=4:SecretKeySelector?
    fileKeyRef=5:FileKeySelector?`,
  ObjectFieldSelector: 'apiVersion=1 fieldPath=2',
  ResourceFieldSelector: 'containerName=1 resource=2 divisor=3:Quantity',
  ConfigMapKeySelector: 'localObjectReference=1:LocalObjectReference^ key=2 optional=3:bool?',
  SecretKeySelector: 'localObjectReference=1:LocalObjectReference^ key=2 optional=3:bool?',
  EnvFromSource: 'prefix=1 configMapRef=2:ConfigMapEnvSource? secretRef=3:SecretEnvSource?',
  ConfigMapEnvSource: 'localObjectReference=1:LocalObjectReference^ optional=2:bool?',
  SecretEnvSource: 'localObjectReference=1:LocalObjectReference^ optional=2:bool?',
  LocalObjectReference: 'name=1',
  ResourceRequirements: 'limits=1:{Quantity} requests=2:{Quantity} claims=3:ResourceClaim[]',
  ResourceClaim: 'name=1 request=2',
  VolumeMount: `
    name=1 readOnly=2:bool mountPath=3 subPath=4 mountPropagation=5? subPathExpr=6
    recursiveReadOnly=7? bindMountOptions=8[]`,
  VolumeDevice: 'name=1 devicePath=2',
  Probe: `
    handler=1:ProbeHandler^ initialDelaySeconds=2:int32 timeoutSeconds=3:int32 periodSeconds=4:int32
    successThreshold=5:int32 failureThreshold=6:int32 terminationGracePeriodSeconds=7:int64?`,
  ProbeHandler: `
    exec=1:ExecAction? httpGet=2:HTTPGetAction? tcpSocket=3:TCPSocketAction? grpc=4:GRPCAction?`,
  ExecAction: 'command=1[]',
  HTTPGetAction: `
    path=1 port=2:IntOrString host=3 scheme=4 httpHeaders=5:HTTPHeader[] protocol=6?`,
  HTTPHeader: 'name=1 value=2',
  TCPSocketAction: 'port=1:IntOrString host=2',
  GRPCAction: 'port=1:int32 service=2? mode=3?',
  Lifecycle: 'postStart=1:LifecycleHandler? preStop=2:LifecycleHandler? stopSignal=3?',
  LifecycleHandler: `
    exec=1:ExecAction? httpGet=2:HTTPGetAction? tcpSocket=3:TCPSocketAction? sleep=4:SleepAction?`,
  SleepAction: 'seconds=1:int64',
  SecurityContext: `
    capabilities=1:Capabilities? privileged=2:bool? seLinuxOptions=3:SELinuxOptions?
    runAsUser=4:int64? runAsNonRoot=5:bool? readOnlyRootFilesystem=6:bool?
    allowPrivilegeEscalation=7:bool? runAsGroup=8:int64? procMount=9?
    windowsOptions=10:WindowsSecurityContextOptions? seccompProfile=11:SeccompProfile?
    appArmorProfile=12:AppArmorProfile?`,
  Capabilities: 'add=1[] drop=2[]',
  SELinuxOptions: 'user=1 role=2 type=3 level=4',
  SeccompProfile: 'type=1 localhostProfile=2?',
  AppArmorProfile: 'type=1 localhostProfile=2?',
  WindowsSecurityContextOptions: `
    gmsaCredentialSpecName=1? gmsaCredentialSpec=2? runAsUserName=3? hostProcess=4:bool?`,
  PodSecurityContext: `
    seLinuxOptions=1:SELinuxOptions? runAsUser=2:int64? runAsNonRoot=3:bool?
    supplementalGroups=4:int64[] fsGroup=5:int64? runAsGroup=6:int64? sysctls=7:Sysctl[]
    windowsOptions=8:WindowsSecurityContextOptions? fsGroupChangePolicy=9?
    seccompProfile=10:SeccompProfile? appArmorProfile=11:AppArmorProfile?
    supplementalGroupsPolicy=12? seLinuxChangePolicy=13?`,
  Sysctl: 'name=1 value=2',
  Affinity: `
    nodeAffinity=1:NodeAffinity? podAffinity=2:PodAffinity? podAntiAffinity=3:PodAntiAffinity?`,
  NodeAffinity: `
    requiredDuringSchedulingIgnoredDuringExecution=1:NodeSelector?
    preferredDuringSchedulingIgnoredDuringExecution=2:PreferredSchedulingTerm[]`,
  NodeSelector: 'nodeSelectorTerms=1:NodeSelectorTerm[]',
  NodeSelectorTerm: `
    matchExpressions=1:NodeSelectorRequirement[] matchFields=2:NodeSelectorRequirement[]`,
  NodeSelectorRequirement: 'key=1 operator=2 values=3[]',
  PreferredSchedulingTerm: 'weight=1:int32 preference=2:NodeSelectorTerm',
  PodAffinity: `
    requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[]
    preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]`,
  PodAntiAffinity: `
    requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[]
    preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]`,
  PodAffinityTerm: `
    labelSelector=1:LabelSelector? namespaces=2[] topologyKey=3 namespaceSelector=4:LabelSelector?
    matchLabelKeys=5[] mismatchLabelKeys=6[]`,
  WeightedPodAffinityTerm: 'weight=1:int32 podAffinityTerm=2:PodAffinityTerm',
  Toleration: 'key=1 operator=2 value=3 effect=4 tolerationSeconds=5:int64?',
  Volume: 'name=1 volumeSource=2:VolumeSource^',
  VolumeSource: `
    hostPath=1:HostPathVolumeSource? emptyDir=2:EmptyDirVolumeSource?
    gcePersistentDisk=3:GCEPersistentDiskVolumeSource?
    awsElasticBlockStore=4:AWSElasticBlockStoreVolumeSource? gitRepo=5:GitRepoVolumeSource?
    secret=6:SecretVolumeSource? nfs=7:NFSVolumeSource? iscsi=8:ISCSIVolumeSource?
    glusterfs=9:GlusterfsVolumeSource? persistentVolumeClaim=10:PersistentVolumeClaimVolumeSource?
    rbd=11:RBDVolumeSource? flexVolume=12:FlexVolumeSource? cinder=13:CinderVolumeSource?
    cephfs=14:CephFSVolumeSource? flocker=15:FlockerVolumeSource?
    downwardAPI=16:DownwardAPIVolumeSource? fc=17:FCVolumeSource?
    azureFile=18:AzureFileVolumeSource? configMap=19:ConfigMapVolumeSource?
    vsphereVolume=20:VsphereVirtualDiskVolumeSource? quobyte=21:QuobyteVolumeSource?
    azureDisk=22:AzureDiskVolumeSource? photonPersistentDisk=23:PhotonPersistentDiskVolumeSource?
    portworxVolume=24:PortworxVolumeSource? scaleIO=25:ScaleIOVolumeSource?
    projected=26:ProjectedVolumeSource? storageos=27:StorageOSVolumeSource? csi=28:CSIVolumeSource?
    ephemeral=29:EphemeralVolumeSource? image=30:ImageVolumeSource?`,
  HostPathVolumeSource: 'path=1 type=2?',
  EmptyDirVolumeSource: 'medium=1 sizeLimit=2:Quantity? mode=3:int32?',
  SecretVolumeSource: `
    secretName=1 items=2:KeyToPath[] defaultMode=3:int32? optional=4:bool? defaultUser=5:int64?`,
  ConfigMapVolumeSource: `
    localObjectReference=1:LocalObjectReference^ items=2:KeyToPath[] defaultMode=3:int32?
    optional=4:bool? defaultUser=5:int64?`,
  KeyToPath: 'key=1 path=2 mode=3:int32? user=4:int64?',
  PersistentVolumeClaimVolumeSource: 'claimName=1 readOnly=2:bool',
  ProjectedVolumeSource: `
    sources=1:VolumeProjection[] defaultMode=2:int32? defaultUser=3:int64?`,
  VolumeProjection: `
    secret=1:SecretProjection? downwardAPI=2:DownwardAPIProjection? configMap=3:ConfigMapProjection?
    serviceAccountToken=4:ServiceAccountTokenProjection?
    clusterTrustBundle=5:ClusterTrustBundleProjection? podCertificate=6:PodCertificateProjection?`,
  ServiceAccountTokenProjection: 'audience=1 expirationSeconds=2:int64? path=3 user=4:int64?',
  ConfigMapProjection: `
    localObjectReference=1:LocalObjectReference^ items=2:KeyToPath[] optional=4:bool?`,
  SecretProjection: `
    localObjectReference=1:LocalObjectReference^ items=2:KeyToPath[] optional=4:bool?`,
  DownwardAPIProjection: 'items=1:DownwardAPIVolumeFile[]',
  DownwardAPIVolumeFile: `
    path=1 fieldRef=2:ObjectFieldSelector? resourceFieldRef=3:ResourceFieldSelector? mode=4:int32?
    user=5:int64?`,
  DownwardAPIVolumeSource: `
    items=1:DownwardAPIVolumeFile[] defaultMode=2:int32? defaultUser=3:int64?`,
  CSIVolumeSource: `
    driver=1 readOnly=2:bool? fsType=3? volumeAttributes=4:{}
    nodePublishSecretRef=5:LocalObjectReference?`,
  TopologySpreadConstraint: `
    maxSkew=1:int32 topologyKey=2 whenUnsatisfiable=3 labelSelector=4:LabelSelector?
    minDomains=5:int32? nodeAffinityPolicy=6? nodeTaintsPolicy=7? matchLabelKeys=8[]`,
  HostAlias: 'ip=1 hostnames=2[]',
  PodDNSConfig: 'nameservers=1[] searches=2[] options=3:PodDNSConfigOption[]',
  PodDNSConfigOption: 'name=1 value=2?',
  PodReadinessGate: 'conditionType=1',
  PodOS: 'name=1',
  PodSchedulingGate: 'name=1',
  PodResourceClaim: 'name=1 resourceClaimName=3? resourceClaimTemplateName=4?',
  PodResourceClaimStatus: 'name=1 resourceClaimName=2?',
  ContainerResizePolicy: 'resourceName=1 restartPolicy=2',
  PodCondition: `
    type=1 status=2 lastProbeTime=3:Time lastTransitionTime=4:Time reason=5 message=6
    observedGeneration=7:int64`,
  PodIP: 'ip=1',
  HostIP: 'ip=1',
  ContainerStatus: `
    name=1 state=2:ContainerState lastState=3:ContainerState ready=4:bool restartCount=5:int32
    image=6 imageID=7 containerID=8 started=9:bool? allocatedResources=10:{Quantity}
    resources=11:ResourceRequirements? volumeMounts=12:VolumeMountStatus[] user=13:ContainerUser?
    allocatedResourcesStatus=14:ResourceStatus[] stopSignal=15?`,
  ContainerState: `
    waiting=1:ContainerStateWaiting? running=2:ContainerStateRunning?
    terminated=3:ContainerStateTerminated?`,
  ContainerStateWaiting: 'reason=1 message=2',
  ContainerStateRunning: 'startedAt=1:Time',
  ContainerStateTerminated: `
    exitCode=1:int32 signal=2:int32 reason=3 message=4 startedAt=5:Time finishedAt=6:Time
    containerID=7`,
  VolumeMountStatus: `
    name=1 mountPath=2 readOnly=3:bool recursiveReadOnly=4? volumeStatus=5:VolumeStatus?`,
  ContainerUser: 'linux=1:LinuxContainerUser?',
  LinuxContainerUser: 'uid=1:int64 gid=2:int64 supplementalGroups=3:int64[]',
  ResourceStatus: 'name=1 resources=2:ResourceHealth[]',
  ResourceHealth: 'resourceID=1 health=2 message=6?',
  Node: 'metadata=1:ObjectMeta spec=2:NodeSpec status=3:NodeStatus',
  NodeList: 'metadata=1:ListMeta items=2:Node[]',
  NodeSpec: `
    podCIDR=1 externalID=2 providerID=3 unschedulable=4:bool taints=5:Taint[]
    configSource=6:NodeConfigSource? podCIDRs=7[] podPreemptionPolicy=8:NodePodPreemptionPolicy?`,
  Taint: 'key=1 value=2 effect=3 timeAdded=4:Time?',
  NodeStatus: `
    capacity=1:{Quantity} allocatable=2:{Quantity} phase=3 conditions=4:NodeCondition[]
    addresses=5:NodeAddress[] daemonEndpoints=6:NodeDaemonEndpoints nodeInfo=7:NodeSystemInfo
    images=8:ContainerImage[] volumesInUse=9[] volumesAttached=10:AttachedVolume[]
    config=11:NodeConfigStatus? runtimeHandlers=12:NodeRuntimeHandler[] features=13:NodeFeatures?
    declaredFeatures=14[]`,
  NodeAddress: 'type=1 address=2',
  NodeCondition: `
    type=1 status=2 lastHeartbeatTime=3:Time lastTransitionTime=4:Time reason=5 message=6`,
  NodeDaemonEndpoints: 'kubeletEndpoint=1:DaemonEndpoint',
  DaemonEndpoint: 'Port=1:int32',
  ContainerImage: 'names=1[] sizeBytes=2:int64',
  NodeSystemInfo: `
    machineID=1 systemUUID=2 bootID=3 kernelVersion=4 osImage=5 containerRuntimeVersion=6
    kubeletVersion=7 kubeProxyVersion=8 operatingSystem=9 architecture=10 swap=11:NodeSwapStatus?`,
  NodeSwapStatus: 'capacity=1:int64?',
  AttachedVolume: 'name=1 devicePath=2',
  NodeRuntimeHandler: 'name=1 features=2:NodeRuntimeHandlerFeatures?',
  NodeRuntimeHandlerFeatures: 'recursiveReadOnlyMounts=1:bool? userNamespaces=2:bool?',
  NodeFeatures: 'supplementalGroupsPolicy=1:bool?',
};

/** JSON members a message's JSON carries that have no field: the TypeMeta of an object. */
const TYPE_META_ONLY: Record<string, string[]> = {
  Pod: ['apiVersion', 'kind'],
  Node: ['apiVersion', 'kind'],
  Status: ['apiVersion', 'kind'],
};

type Kind =
  | 'string'
  | 'bool'
  | 'int32'
  | 'int64'
  | 'Time'
  | 'MicroTime'
  | 'Quantity'
  | 'IntOrString'
  | 'FieldsV1'
  | 'map'
  | 'quantityMap'
  | 'message';

interface Field {
  json: string;
  num: number;
  kind: Kind;
  /** The message type, for kind `message`. */
  type?: string;
  repeated: boolean;
  /** A Go pointer: written only when present. */
  optional: boolean;
  /** An embedded struct: its members are read from the enclosing object. */
  inline: boolean;
  /** The field's key (number << 3 | wire type) as varint bytes. */
  key: number[];
}

interface Message {
  name: string;
  fields: Field[];
  /** Every JSON member the message accepts (its own, its embedded structs', its TypeMeta's). */
  known?: Set<string>;
}

const SCALAR_KINDS = new Set([
  'string',
  'bool',
  'int32',
  'int64',
  'Time',
  'MicroTime',
  'Quantity',
  'IntOrString',
  'FieldsV1',
]);

function parseField(message: string, token: string): Field {
  const m = /^(\w+)=(\d+)(?::(\{\}|\{Quantity\}|\w+))?(\[\]|\?)?(\^)?$/.exec(token);
  if (!m) throw new Error(`k8s-protobuf schema: bad field "${token}" in ${message}`);
  const [, json, num, type = 'string', suffix, inline] = m;
  const kind: Kind =
    type === '{}' ? 'map' : type === '{Quantity}' ? 'quantityMap' : SCALAR_KINDS.has(type) ? (type as Kind) : 'message';
  const varintKind = kind === 'bool' || kind === 'int32' || kind === 'int64';
  const key = varintBytes((Number(num) << 3) | (varintKind ? 0 : 2));
  return {
    json,
    num: Number(num),
    kind,
    ...(kind === 'message' ? { type } : {}),
    repeated: suffix === '[]',
    optional: suffix === '?',
    inline: inline === '^',
    key,
  };
}

const MESSAGES = new Map<string, Message>(
  Object.entries(SCHEMA).map(([name, spec]) => {
    const fields = spec
      .trim()
      .split(/\s+/)
      .map((t) => parseField(name, t))
      .sort((a, b) => a.num - b.num);
    return [name, { name, fields }];
  }),
);

/** A member the schema does not know, or a value of the wrong shape; `path` grows as it unwinds. */
export class KubeProtobufSchemaError extends Error {
  readonly path: string[] = [];
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'KubeProtobufSchemaError';
  }
}

function messageNamed(name: string): Message {
  const m = MESSAGES.get(name);
  if (!m) throw new KubeProtobufSchemaError(`k8s-protobuf: the schema has no message ${name}`);
  return m;
}

function knownMembers(msg: Message): Set<string> {
  if (!msg.known) {
    const known = new Set<string>(TYPE_META_ONLY[msg.name] ?? []);
    for (const f of msg.fields) {
      if (f.inline) for (const k of knownMembers(messageNamed(f.type!))) known.add(k);
      else known.add(f.json);
    }
    msg.known = known;
  }
  return msg.known;
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  let v = n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** A growing buffer written front to back. */
class Writer {
  buf: Buffer;
  pos = 0;
  constructor(size = 4096) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A field key (or any few bytes). */
  key(k: number[]): void {
    this.ensure(k.length);
    for (let i = 0; i < k.length; i++) this.buf[this.pos++] = k[i];
  }

  varint(n: number): void {
    this.ensure(10);
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) {
      while (n >= 0x80) {
        this.buf[this.pos++] = (n % 0x80) | 0x80;
        n = Math.floor(n / 0x80);
      }
      this.buf[this.pos++] = n;
      return;
    }
    // Negative numbers are their 64-bit two's complement (Go's uint64(int64(n))): 10 bytes.
    for (const b of varintBytes(n)) this.buf[this.pos++] = b;
  }

  string(s: string): void {
    const len = s.length;
    // Short strings (at most 42 UTF-16 units: at most 126 UTF-8 bytes) have a 1-byte length;
    // ASCII ones are copied here, cheaper than a call into Buffer.write.
    if (len <= 42) {
      this.ensure(1 + len * 3);
      const buf = this.buf;
      const at = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      const n = i === len ? len : i + buf.write(s.slice(i), at + i, 'utf8');
      buf[this.pos] = n;
      this.pos = at + n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
  }

  /** Starts a length-delimited body: 5 bytes are kept for its length. */
  begin(): number {
    this.ensure(5);
    this.pos += 5;
    return this.pos;
  }

  /** Ends the body `begin` started: writes its length and moves it against it. */
  end(start: number): void {
    const len = this.pos - start;
    let head = 1;
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) head++;
    if (head > 5) throw new Error('k8s-protobuf: message over 32 GiB');
    const at = start - 5;
    if (head < 5) this.buf.copyWithin(at + head, start, this.pos);
    let v = len;
    for (let i = 0; i < head; i++, v = Math.floor(v / 0x80)) this.buf[at + i] = i < head - 1 ? (v % 0x80) | 0x80 : v;
    this.pos -= 5 - head;
  }

  result(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.pos);
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const timeCache = new Map<string, [number, number]>();

/** An RFC 3339 time as [seconds since the epoch, nanoseconds]. */
function parseTime(s: unknown): [number, number] {
  if (typeof s !== 'string')
    throw new KubeProtobufSchemaError(`k8s-protobuf: a time must be an RFC 3339 string, not ${JSON.stringify(s)}`);
  const hit = timeCache.get(s);
  if (hit) return hit;
  const m = RFC3339.exec(s);
  if (!m) throw new KubeProtobufSchemaError(`k8s-protobuf: "${s}" is not an RFC 3339 time`);
  const d = new Date(0);
  d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]); // years below 100 too (Date.UTC maps them to 19xx)
  d.setUTCHours(+m[4], +m[5], +m[6], 0);
  let seconds = d.getTime() / 1000;
  if (m[9]) seconds -= (m[9] === '-' ? -1 : 1) * (+m[10] * 3600 + +m[11] * 60);
  const nanos = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  const out: [number, number] = [seconds, nanos];
  if (timeCache.size > 10_000) timeCache.clear();
  timeCache.set(s, out);
  return out;
}

function fail(msg: Message, member: string, problem: string): never {
  throw new KubeProtobufSchemaError(`k8s-protobuf: ${msg.name}.${member} ${problem}`);
}

const SECONDS_KEY = [0x08];
const NANOS_KEY = [0x10];
const KEY_1 = [0x0a];
const KEY_2 = [0x12];
const KEY_3 = [0x1a];

/** One value of a field (an element, for a repeated one). */
function writeValue(w: Writer, msg: Message, f: Field, v: unknown): void {
  switch (f.kind) {
    case 'string':
      if (typeof v !== 'string') fail(msg, f.json, `must be a string, not ${JSON.stringify(v)}`);
      w.key(f.key);
      w.string(v);
      return;
    case 'bool':
      if (typeof v !== 'boolean') fail(msg, f.json, `must be a boolean, not ${JSON.stringify(v)}`);
      w.key(f.key);
      w.varint(v ? 1 : 0);
      return;
    case 'int32':
    case 'int64': {
      const ok =
        typeof v === 'number' && Number.isInteger(v) && (f.kind === 'int64' || (v >= -0x80000000 && v <= 0x7fffffff));
      if (!ok) fail(msg, f.json, `must be an ${f.kind}, not ${JSON.stringify(v)}`);
      w.key(f.key);
      w.varint(v as number);
      return;
    }
    case 'Time':
    case 'MicroTime': {
      w.key(f.key);
      if (v === null) return w.varint(0); // the zero time marshals to nothing
      const [seconds, nanos] = parseTime(v);
      // metav1.Time drops the fraction (ProtoTime leaves Nanos 0); MicroTime keeps microseconds.
      const start = w.begin();
      w.key(SECONDS_KEY);
      w.varint(seconds);
      w.key(NANOS_KEY);
      w.varint(f.kind === 'Time' ? 0 : nanos - (nanos % 1000));
      w.end(start);
      return;
    }
    case 'Quantity': {
      // resource.Quantity is a message of one string; JSON may carry a bare number.
      if (typeof v !== 'string' && typeof v !== 'number')
        fail(msg, f.json, `must be a quantity, not ${JSON.stringify(v)}`);
      w.key(f.key);
      writeQuantity(w, String(v));
      return;
    }
    case 'IntOrString': {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v)))
        fail(msg, f.json, `must be an integer or a string, not ${JSON.stringify(v)}`);
      w.key(f.key);
      writeIntOrString(w, v as number | string);
      return;
    }
    case 'FieldsV1': {
      if (typeof v !== 'object' || Array.isArray(v)) fail(msg, f.json, `must be an object, not ${JSON.stringify(v)}`);
      w.key(f.key);
      const start = w.begin();
      w.key(KEY_1); // Raw = 1, bytes: the JSON text
      w.string(JSON.stringify(v));
      w.end(start);
      return;
    }
    case 'map':
    case 'quantityMap':
      throw new Error('unreachable');
    case 'message': {
      const sub = messageNamed(f.type!);
      w.key(f.key);
      const start = w.begin();
      writeMessage(w, sub, v === null ? {} : v, true);
      w.end(start);
      return;
    }
  }
}

function writeQuantity(w: Writer, s: string): void {
  const start = w.begin();
  w.key(KEY_1);
  w.string(s);
  w.end(start);
}

function writeIntOrString(w: Writer, v: number | string): void {
  // type 1 (0 Int, 1 String), intVal 2, strVal 3: all three always written.
  const start = w.begin();
  w.key(SECONDS_KEY);
  w.varint(typeof v === 'string' ? 1 : 0);
  w.key(NANOS_KEY);
  w.varint(typeof v === 'string' ? 0 : v);
  w.key(KEY_3);
  w.string(typeof v === 'string' ? v : '');
  w.end(start);
}

/** Go's sort.Strings order (bytes of UTF-8). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function asciiOnly(keys: string[]): boolean {
  for (const k of keys) for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) > 0x7f) return false;
  return true;
}

function writeMap(w: Writer, msg: Message, f: Field, v: unknown): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(msg, f.json, `must be an object, not ${JSON.stringify(v)}`);
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  // For ASCII keys JavaScript's default sort is byte order already.
  if (asciiOnly(keys)) keys.sort();
  else keys.sort(byteOrder);
  for (const k of keys) {
    const value = obj[k];
    w.key(f.key);
    const start = w.begin();
    w.key(KEY_1);
    w.string(k);
    w.key(KEY_2);
    if (f.kind === 'map') {
      if (typeof value !== 'string') fail(msg, `${f.json}["${k}"]`, `must be a string, not ${JSON.stringify(value)}`);
      w.string(value);
    } else {
      if (typeof value !== 'string' && typeof value !== 'number')
        fail(msg, `${f.json}["${k}"]`, `must be a quantity, not ${JSON.stringify(value)}`);
      writeQuantity(w, String(value));
    }
    w.end(start);
  }
}

/** The zero value Go writes for a non-pointer field the JSON left out (`omitempty`). */
function writeZero(w: Writer, f: Field): void {
  w.key(f.key);
  switch (f.kind) {
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
    case 'Time': // the zero time: an empty message
    case 'MicroTime':
    case 'FieldsV1':
      return w.varint(0);
    case 'Quantity': // the zero Quantity's String() is "0"
      return writeQuantity(w, '0');
    case 'IntOrString':
      return writeIntOrString(w, 0);
    case 'message': {
      const start = w.begin();
      writeMessage(w, messageNamed(f.type!), {}, false);
      return w.end(start);
    }
    default:
      throw new Error(`k8s-protobuf: no zero value for ${f.kind}`);
  }
}

/** Adds where a schema error happened, as it unwinds. */
function addPath(err: unknown, step: string): unknown {
  if (err instanceof KubeProtobufSchemaError) err.path.unshift(step);
  return err;
}

/** A message's fields from a JSON object; `check` rejects members the message does not know. */
function writeMessage(w: Writer, msg: Message, v: unknown, check: boolean): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new KubeProtobufSchemaError(`k8s-protobuf: a ${msg.name} must be an object, not ${JSON.stringify(v)}`);
  const obj = v as Record<string, unknown>;
  if (check) {
    const known = knownMembers(msg);
    for (const k in obj)
      if (!known.has(k)) fail(msg, k, 'is not in the schema (add it to test/support/fakes/k8s-protobuf.ts)');
  }
  for (const f of msg.fields) {
    if (f.inline) {
      w.key(f.key);
      const start = w.begin();
      writeMessage(w, messageNamed(f.type!), obj, false);
      w.end(start);
      continue;
    }
    const value = obj[f.json];
    if (value === undefined || value === null) {
      // JSON null is Go's nil pointer or zero value; a non-pointer Time's zero value is null too.
      if (f.optional || f.repeated || f.kind === 'map' || f.kind === 'quantityMap') continue;
      writeZero(w, f);
      continue;
    }
    if (f.repeated) {
      if (!Array.isArray(value)) fail(msg, f.json, `must be an array, not ${JSON.stringify(value)}`);
      for (let i = 0; i < value.length; i++) {
        try {
          writeValue(w, msg, f, value[i]);
        } catch (err) {
          throw addPath(err, `${f.json}[${i}]`);
        }
      }
    } else if (f.kind === 'map' || f.kind === 'quantityMap') writeMap(w, msg, f, value);
    else if (f.kind === 'message') {
      try {
        writeValue(w, msg, f, value);
      } catch (err) {
        throw addPath(err, f.json);
      }
    } else writeValue(w, msg, f, value);
  }
}

function encodeWith(name: string, write: (w: Writer) => void, sizeHint?: number): Buffer {
  const w = new Writer(sizeHint);
  try {
    write(w);
  } catch (err) {
    if (err instanceof KubeProtobufSchemaError && err.path.length)
      err.message = `${err.detail} (at ${name}.${err.path.join('.').replace(/\.\[/g, '[')})`;
    throw err;
  }
  return w.result();
}

/** The item message a list kind holds: PodList → Pod. */
export function itemKindOf(listKind: string): string {
  if (!listKind.endsWith('List')) throw new Error(`k8s-protobuf: ${listKind} is not a list kind`);
  return listKind.slice(0, -4);
}

/** An object's own message (no envelope): what a list's `items` field holds. */
export function encodeObject(kind: string, obj: unknown): Buffer {
  const msg = messageNamed(kind);
  return encodeWith(kind, (w) => writeMessage(w, msg, obj, true), 1024);
}

/** Writes the magic and the runtime.Unknown envelope around the message `body` writes. */
function enveloped(apiVersion: string, kind: string, body: (w: Writer) => void, sizeHint?: number): Buffer {
  return encodeWith(
    kind,
    (w) => {
      w.raw(KUBE_PROTOBUF_MAGIC);
      w.key(KEY_1); // typeMeta = 1: runtime.TypeMeta {apiVersion 1, kind 2}
      const typeMeta = w.begin();
      w.key(KEY_1);
      w.string(apiVersion);
      w.key(KEY_2);
      w.string(kind);
      w.end(typeMeta);
      w.key(KEY_2); // raw = 2: the object's message
      const raw = w.begin();
      body(w);
      w.end(raw);
      w.key([0x1a, 0x00, 0x22, 0x00]); // contentEncoding = 3, contentType = 4: empty, always written
    },
    sizeHint,
  );
}

export interface KubeListMeta {
  selfLink?: string;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * A list as the API server sends it in protobuf: magic, runtime.Unknown{typeMeta, raw: the
 * PodList/NodeList message}. `items` are JSON objects, or the bytes `encodeObject` made of them
 * (the fake server caches those).
 */
export function encodeKubeList(
  apiVersion: string,
  kind: string,
  metadata: KubeListMeta,
  items: ReadonlyArray<object | Uint8Array>,
): Buffer {
  const list = messageNamed(kind);
  const itemsField = list.fields.find((f) => f.json === 'items');
  const metaField = list.fields.find((f) => f.json === 'metadata');
  if (!itemsField || !metaField) throw new Error(`k8s-protobuf: ${kind} is not a list message`);
  const item = messageNamed(itemsField.type!);
  let hint = 256;
  for (const it of items) hint += it instanceof Uint8Array ? it.length + 4 : 8192;
  return enveloped(
    apiVersion,
    kind,
    (w) => {
      w.key(metaField.key);
      let start = w.begin();
      try {
        writeMessage(w, messageNamed('ListMeta'), metadata, true);
      } catch (err) {
        throw addPath(err, 'metadata');
      }
      w.end(start);
      items.forEach((it, i) => {
        w.key(itemsField.key);
        if (it instanceof Uint8Array) {
          w.varint(it.length);
          w.raw(it);
          return;
        }
        start = w.begin();
        try {
          writeMessage(w, item, it, true);
        } catch (err) {
          throw addPath(err, `items[${i}]`);
        }
        w.end(start);
      });
    },
    hint,
  );
}

/** A metav1.Status (an error answer) in protobuf, as the server sends it to a protobuf client. */
export function encodeStatus(status: {
  status: string;
  message: string;
  reason: string;
  code: number;
  metadata?: KubeListMeta;
}): Buffer {
  const msg = messageNamed('Status');
  return enveloped('v1', 'Status', (w) => writeMessage(w, msg, status, true));
}
