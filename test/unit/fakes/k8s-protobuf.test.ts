/**
 * The fake API server's Kubernetes protobuf encoding (k8s-protobuf.ts) and its content
 * negotiation (k8s-api.ts). The bytes are checked with a small generic decoder kept here (by field
 * number and wire type, no schema), against bytes computed by hand from the public .proto files.
 */
import { request } from 'node:https';
import { labKubernetesState } from '../../support/factories/k8s';
import {
  largeAppPod,
  largeClusterState,
  largeNode,
  largeNodeExporterPod,
  largeNodeName,
} from '../../support/factories/k8s-large';
import { FakeKubeApi, negotiate, parseAccept } from '../../support/fakes/k8s-api';
import {
  encodeKubeList,
  encodeObject,
  encodeStatus,
  KUBE_PROTOBUF,
  KUBE_PROTOBUF_MAGIC,
} from '../../support/fakes/k8s-protobuf';
import { testPki } from '../../support/fakes/tls';

// ---- a minimal protobuf reader (test helper) ----

interface WireField {
  num: number;
  wire: number;
  /** varint value (wire 0) */
  int?: bigint;
  /** bytes (wire 2) */
  bytes?: Buffer;
}

function readVarint(b: Buffer, at: { pos: number }): bigint {
  let v = 0n;
  let shift = 0n;
  for (;;) {
    if (at.pos >= b.length) throw new Error('truncated varint');
    const byte = b[at.pos++];
    v |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return v;
    shift += 7n;
  }
}

/** The fields of a message in wire order; throws on anything but varint and length-delimited. */
function decode(b: Buffer): WireField[] {
  const out: WireField[] = [];
  const at = { pos: 0 };
  while (at.pos < b.length) {
    const key = Number(readVarint(b, at));
    const num = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ num, wire, int: readVarint(b, at) });
    else if (wire === 2) {
      const len = Number(readVarint(b, at));
      if (at.pos + len > b.length) throw new Error(`field ${num}: ${len} bytes announced, ${b.length - at.pos} left`);
      out.push({ num, wire, bytes: b.subarray(at.pos, at.pos + len) });
      at.pos += len;
    } else throw new Error(`field ${num}: unexpected wire type ${wire}`);
  }
  return out;
}

const all = (b: Buffer, num: number) => decode(b).filter((f) => f.num === num);
function one(b: Buffer, num: number): WireField {
  const found = all(b, num);
  if (found.length !== 1) throw new Error(`field ${num} occurs ${found.length} times`);
  return found[0];
}
const bytesOf = (b: Buffer, num: number) => one(b, num).bytes!;
const str = (b: Buffer, num: number) => bytesOf(b, num).toString('utf8');
const int = (b: Buffer, num: number) => Number(one(b, num).int!);
/** A map field's entries, in wire order, as [key, value bytes]. */
const entries = (b: Buffer, num: number) =>
  all(b, num).map((e) => [str(e.bytes!, 1), bytesOf(e.bytes!, 2)] as [string, Buffer]);

/** The envelope: magic, then runtime.Unknown{typeMeta 1, raw 2, contentEncoding 3, contentType 4}. */
function unwrap(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  expect(body.subarray(0, 4)).toEqual(KUBE_PROTOBUF_MAGIC);
  const unknown = body.subarray(4);
  expect(decode(unknown).map((f) => f.num)).toEqual([1, 2, 3, 4]);
  expect(bytesOf(unknown, 3)).toHaveLength(0);
  expect(bytesOf(unknown, 4)).toHaveLength(0);
  const typeMeta = bytesOf(unknown, 1);
  return { apiVersion: str(typeMeta, 1), kind: str(typeMeta, 2), raw: bytesOf(unknown, 2) };
}

const hex = (...parts: Array<string | Buffer>) =>
  Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p.replace(/\s+/g, ''), 'hex'))));
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('encodeObject / encodeKubeList: the Kubernetes protobuf wire format', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', labels: { b: '2', a: '1' }, creationTimestamp: '1970-01-01T00:02:00Z' },
    spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 9100, protocol: 'TCP' }] }] },
    status: { phase: 'Running' },
  };

  // ObjectMeta: name 1, generateName 2, namespace 3, selfLink 4, uid 5, resourceVersion 6,
  // generation 7 (non-pointer: written empty/0), creationTimestamp 8 = Time{seconds 1 = 120, nanos 2 = 0},
  // labels 11 as map entries {key 1, value 2} sorted by key.
  const objectMeta = hex(
    '0a01', utf8('p'),
    '1200',
    '1a02', utf8('ns'),
    '2200 2a00 3200 3800',
    '4204 0878 1000',
    '5a06 0a01', utf8('a'), '1201', utf8('1'),
    '5a06 0a01', utf8('b'), '1201', utf8('2'),
  ); // prettier-ignore
  // ContainerPort: name 1 "", hostPort 2 = 0, containerPort 3 = 9100 (varint 8c 47), protocol 4, hostIP 5 "".
  const port = hex('0a00 1000 188c47 2203', utf8('TCP'), '2a00');
  // Container: name 1, image 2, workingDir 5, ports 6, resources 8 (a struct: always), terminationMessagePath 13,
  // imagePullPolicy 14, stdin 16, stdinOnce 17, tty 18, terminationMessagePolicy 20 (two-byte keys from 16 on).
  const container = hex(
    '0a01', utf8('c'),
    '1201', utf8('i'),
    '2a00',
    '320e', port,
    '4200 6a00 7200 800100 880100 900100 a20100',
  ); // prettier-ignore
  // PodSpec: containers 2, restartPolicy 3, dnsPolicy 6, serviceAccountName 8, serviceAccount 9, nodeName 10,
  // hostNetwork 11, hostPID 12, hostIPC 13, hostname 16, subdomain 17, schedulerName 19, priorityClassName 24.
  const podSpec = hex('122a', container, '1a00 3200 4200 4a00 5200 5800 6000 6800 820100 8a0100 9a0100 c20100');
  // PodStatus: phase 1, message 3, reason 4, hostIP 5, podIP 6, qosClass 9, nominatedNodeName 11, resize 14,
  // observedGeneration 17.
  const podStatus = hex('0a07', utf8('Running'), '1a00 2200 2a00 3200 4a00 5a00 7200 880100');
  const podBytes = hex('0a27', objectMeta, '1248', podSpec, '1a1a', podStatus);

  it('writes a small Pod byte for byte: field order, always-written zero values, the Time and the map', () => {
    expect(objectMeta).toHaveLength(0x27);
    expect(container).toHaveLength(0x2a);
    expect(podSpec).toHaveLength(0x48);
    expect(podStatus).toHaveLength(0x1a);
    expect(encodeObject('Pod', pod).toString('hex')).toBe(podBytes.toString('hex'));
  });

  it('wraps a list in the magic and the runtime.Unknown envelope', () => {
    // ListMeta: selfLink 1 "", resourceVersion 2, continue 3 "" (remainingItemCount 4 is a pointer: absent).
    const listMeta = hex('0a00 1201', utf8('7'), '1a00');
    const podList = hex('0a07', listMeta, '128f01', podBytes); // items 2: 143 bytes
    const expected = hex(
      '6b387300', // k8s\0
      '0a0d 0a02', utf8('v1'), '1207', utf8('PodList'), // typeMeta 1 = {apiVersion 1, kind 2}
      '129b01', podList, // raw 2: 155 bytes
      '1a00 2200', // contentEncoding 3, contentType 4: empty, written
    ); // prettier-ignore
    expect(podList).toHaveLength(155);
    expect(encodeKubeList('v1', 'PodList', { resourceVersion: '7' }, [pod]).toString('hex')).toBe(
      expected.toString('hex'),
    );
    // Items given as their encoded bytes (the fake's cache) make the same body.
    expect(encodeKubeList('v1', 'PodList', { resourceVersion: '7' }, [encodeObject('Pod', pod)])).toEqual(expected);
  });

  it('writes remainingItemCount only when set, and a continue token', () => {
    const body = encodeKubeList(
      'v1',
      'NodeList',
      { resourceVersion: '9', continue: 'abc', remainingItemCount: 300 },
      [],
    );
    const { kind, raw } = unwrap(body);
    expect(kind).toBe('NodeList');
    const meta = bytesOf(raw, 1);
    expect(meta.toString('hex')).toBe(hex('0a00 1201', utf8('9'), '1a03', utf8('abc'), '20ac02').toString('hex'));
    expect(all(raw, 2)).toHaveLength(0);
  });

  it('encodes JSON null times, embedded structs, IntOrString, Quantity maps, negative numbers, managedFields', () => {
    const node = {
      metadata: {
        name: 'n',
        managedFields: [{ manager: 'kubelet', time: '2026-11-01T09:00:00.5Z', fieldsV1: { 'f:spec': {} } }],
      },
      status: { capacity: { memory: '8Gi', cpu: '2' }, daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
    };
    const raw = encodeObject('Node', node);
    const meta = bytesOf(raw, 1);
    const mf = bytesOf(meta, 17);
    expect(str(mf, 1)).toBe('kubelet');
    // Time: whole seconds, nanos 0 (metav1.Time drops the fraction).
    const t = bytesOf(mf, 4);
    expect(int(t, 1)).toBe(Date.UTC(2026, 10, 1, 9) / 1000);
    expect(int(t, 2)).toBe(0);
    expect(str(bytesOf(mf, 7), 1)).toBe('{"f:spec":{}}'); // FieldsV1{Raw 1}
    const status = bytesOf(raw, 3);
    expect(entries(status, 1).map(([k, v]) => [k, str(v, 1)])).toEqual([
      ['cpu', '2'],
      ['memory', '8Gi'],
    ]);
    expect(int(bytesOf(bytesOf(status, 6), 1), 1)).toBe(10250);

    const pod2 = {
      spec: {
        containers: [
          {
            name: 'c',
            livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
            readinessProbe: { tcpSocket: { port: 9100 } },
          },
        ],
        volumes: [{ name: 'v', hostPath: { path: '/proc', type: '' } }],
        securityContext: { runAsUser: -1 },
      },
      status: { conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] },
    };
    const spec = bytesOf(encodeObject('Pod', pod2), 2);
    const c = bytesOf(spec, 2);
    // Probe: the JSON's httpGet sits in the embedded ProbeHandler (handler 1) → httpGet 2.
    const live = bytesOf(c, 10);
    const http = bytesOf(bytesOf(live, 1), 2);
    expect(str(http, 1)).toBe('/');
    const port = bytesOf(http, 2);
    expect([int(port, 1), int(port, 2), str(port, 3)]).toEqual([1, 0, 'http']);
    const tcp = bytesOf(bytesOf(bytesOf(c, 11), 1), 3);
    expect([int(bytesOf(tcp, 1), 1), int(bytesOf(tcp, 1), 2), str(bytesOf(tcp, 1), 3)]).toEqual([0, 9100, '']);
    expect(int(live, 4)).toBe(10);
    // Volume: name 1, the embedded VolumeSource 2 → hostPath 1 {path 1, type 2}.
    const vol = bytesOf(spec, 1);
    expect(str(vol, 1)).toBe('v');
    expect(str(bytesOf(bytesOf(vol, 2), 1), 1)).toBe('/proc');
    // runAsUser -1: the 64-bit two's complement, 10 bytes.
    const runAsUser = one(bytesOf(spec, 14), 2);
    expect(BigInt.asIntN(64, runAsUser.int!)).toBe(-1n);
    // lastProbeTime null (the zero Time): its key and an empty message; lastTransitionTime the same.
    const cond = bytesOf(bytesOf(encodeObject('Pod', pod2), 3), 2);
    expect(bytesOf(cond, 3)).toHaveLength(0);
    expect(bytesOf(cond, 4)).toHaveLength(0);
  });

  it('encodes every Pod and Node of the fixtures (the lab and the large cluster)', () => {
    const lab = labKubernetesState();
    const big = largeClusterState({ nodes: 3, clusterPods: 10 });
    const pods = [...lab.pods, ...big.kubernetes.pods, ...Array.from({ length: 6 }, (_, i) => big.otherPods.make(i))];
    const nodes = [...lab.nodes, ...big.kubernetes.nodes];
    for (const p of pods) expect(str(bytesOf(encodeObject('Pod', p), 1), 1)).toBe(p.metadata.name);
    for (const n of nodes) expect(str(bytesOf(encodeObject('Node', n), 1), 1)).toBe(n.metadata.name);
  });

  // Measured: the large Node is 7 239 bytes in protobuf against 8 872 of JSON (0.82: its image
  // digests and label strings are most of it and cost the same in both), the node-exporter Pod
  // 4 107 against 6 487 (0.63), an application Pod 563 against 1 064 (0.53).
  it.each([
    ['Node', () => largeNode(7)],
    ['Pod', () => largeNodeExporterPod(7, largeNodeName(7))],
    ['Pod', () => largeAppPod(7, 10)],
  ])('a large %s is a plausible fraction of its JSON size and keeps what it holds', (kind, make) => {
    const o = make();
    const json = Buffer.byteLength(JSON.stringify(o));
    const raw = encodeObject(kind, o);
    const ratio = raw.length / json;
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(0.95);
    const meta = bytesOf(raw, 1);
    expect(str(meta, 1)).toBe(o.metadata.name);
    expect(entries(meta, 11).map(([k, v]) => [k, v.toString()])).toEqual(
      Object.entries(o.metadata.labels as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    expect(all(meta, 17)).toHaveLength((o.metadata.managedFields as unknown[] | undefined)?.length ?? 0);
    if (kind === 'Node') {
      const status = bytesOf(raw, 3);
      const images = all(status, 8);
      expect(images).toHaveLength(o.status.images.length);
      expect(int(images[3].bytes!, 2)).toBe(o.status.images[3].sizeBytes);
      expect(all(status, 4).map((c) => str(c.bytes!, 1))).toEqual(
        o.status.conditions.map((c: { type: string }) => c.type),
      );
      expect(str(bytesOf(status, 7), 3)).toBe(o.status.nodeInfo.bootID);
    } else {
      const c = bytesOf(bytesOf(raw, 2), 2);
      expect(all(c, 4).map((a) => a.bytes!.toString())).toEqual(o.spec.containers[0].args ?? []);
      expect(str(bytesOf(raw, 3), 1)).toBe('Running');
    }
  });

  it('throws on a member the schema does not know, naming the message, the member and where', () => {
    const bad = { ...pod, spec: { containers: [{ name: 'c', imagePullPolicyy: 'Always' }] } };
    expect(() => encodeObject('Pod', bad)).toThrow(
      'k8s-protobuf: Container.imagePullPolicyy is not in the schema (add it to test/support/fakes/k8s-protobuf.ts) (at Pod.spec.containers[0])',
    );
    expect(() => encodeObject('Node', { metadata: { name: 'n', nickname: 'x' } })).toThrow(/ObjectMeta\.nickname/);
    expect(() => encodeKubeList('v1', 'NodeList', {}, [{ status: { foo: 1 } }])).toThrow(
      /NodeStatus\.foo is not in the schema .*\(at NodeList\.items\[0\]\.status\)/,
    );
    // A message the table names but does not describe, and a value of the wrong type.
    expect(() => encodeObject('Pod', { spec: { volumes: [{ name: 'v', nfs: { server: 'x' } }] } })).toThrow(
      /no message NFSVolumeSource/,
    );
    expect(() => encodeObject('Pod', { spec: { hostNetwork: 'yes' } })).toThrow(
      /PodSpec\.hostNetwork must be a boolean/,
    );
  });

  it('encodes a Status as the server answers a protobuf client', () => {
    const { apiVersion, kind, raw } = unwrap(
      encodeStatus({ status: 'Failure', message: 'm', reason: 'NotFound', code: 404 }),
    );
    expect([apiVersion, kind]).toEqual(['v1', 'Status']);
    expect(raw.toString('hex')).toBe(
      hex(
        '0a06 0a00 1200 1a00',
        '1207',
        utf8('Failure'),
        '1a01',
        utf8('m'),
        '2208',
        utf8('NotFound'),
        '309403',
      ).toString('hex'),
    );
  });
});

describe('parseAccept / negotiate: the server picks the media type as kube-apiserver does', () => {
  const builtIn = ['application/json', 'application/yaml', KUBE_PROTOBUF];
  it('ranks by q-value, then exact before type/* before */*', () => {
    expect(
      parseAccept('*/*;q=0.9, application/json;q=0.5, text/*, application/vnd.kubernetes.protobuf').map(
        (r) => `${r.type}/${r.subtype}`,
      ),
    ).toEqual(['application/vnd.kubernetes.protobuf', 'text/*', '*/*', 'application/json']);
  });
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['*/*', 'application/json'],
    ['application/vnd.kubernetes.protobuf, application/json', KUBE_PROTOBUF],
    ['application/json;q=0.9, application/vnd.kubernetes.protobuf', KUBE_PROTOBUF],
    ['application/vnd.kubernetes.protobuf;q=0.5, application/json', 'application/json'],
    ['application/*', 'application/json'],
    ['application/json;as=Table;g=meta.k8s.io;v=v1, application/yaml;q=0.1', 'application/yaml'],
    ['text/plain', undefined],
  ])('Accept %p → %p', (header, expected) => {
    expect(negotiate(header, builtIn)).toBe(expected);
  });
});

describe('FakeKubeApi answers lists of pods and nodes in protobuf', () => {
  const big = largeClusterState({ nodes: 5, clusterPods: 5 });
  const api = new FakeKubeApi(big.kubernetes);
  api.staticToken = 'tok';
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  function get(path: string, accept?: string): Promise<{ status: number; type: string; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${api.url}${path}`,
        { ca: testPki().caPem, headers: { authorization: 'Bearer tok', ...(accept ? { accept } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: String(res.headers['content-type']),
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('pages /api/v1/nodes with limit and continue, the ListMeta carrying the token and the count left', async () => {
    const names: string[] = [];
    let next = '';
    const remaining: Array<number | undefined> = [];
    for (let page = 0; page < 5; page++) {
      const r = await get(`/api/v1/nodes?limit=2${next ? `&continue=${encodeURIComponent(next)}` : ''}`, KUBE_PROTOBUF);
      expect([r.status, r.type]).toEqual([200, KUBE_PROTOBUF]);
      const { apiVersion, kind, raw } = unwrap(r.body);
      expect([apiVersion, kind]).toEqual(['v1', 'NodeList']);
      const meta = bytesOf(raw, 1);
      expect(str(meta, 2)).toBe('123456');
      next = str(meta, 3);
      const left = all(meta, 4);
      remaining.push(left.length ? Number(left[0].int) : undefined);
      for (const item of all(raw, 2)) {
        const name = str(bytesOf(item.bytes!, 1), 1);
        names.push(name);
        const node = big.kubernetes.nodes.find((n) => n.metadata.name === name)!;
        expect(item.bytes).toEqual(encodeObject('Node', node));
      }
      if (!next) break;
    }
    expect(names).toEqual(big.kubernetes.nodes.map((n) => n.metadata.name));
    expect(remaining).toEqual([3, 1, undefined]);
  });

  it('keeps the label selector and the generated pods, and caches the encoded objects with cacheJson', async () => {
    api.cacheJson = true;
    try {
      const path = '/api/v1/namespaces/monitoring/pods?labelSelector=app.kubernetes.io/name%3Dprometheus-node-exporter';
      const a = await get(path, `${KUBE_PROTOBUF}, application/json;q=0.9`);
      const b = await get(path, KUBE_PROTOBUF);
      expect(b.body).toEqual(a.body);
      const pods = all(unwrap(a.body).raw, 2).map((i) => str(bytesOf(i.bytes!, 1), 1));
      const json = JSON.parse((await get(path)).body.toString()) as { items: Array<{ metadata: { name: string } }> };
      expect(pods).toEqual(json.items.map((p) => p.metadata.name));
      expect(pods).toHaveLength(5);
      const all5 = unwrap((await get('/api/v1/pods', KUBE_PROTOBUF)).body);
      expect(all(all5.raw, 2)).toHaveLength(big.kubernetes.pods.length + big.otherPods.count);
    } finally {
      api.cacheJson = false;
    }
  });

  it('answers a custom resource in JSON when JSON is acceptable too, else 406 (no protobuf for CRDs)', async () => {
    const path = '/apis/monitoring.coreos.com/v1/namespaces/monitoring/servicemonitors';
    const both = await get(path, `${KUBE_PROTOBUF}, application/json`);
    expect([both.status, both.type]).toEqual([200, 'application/json']);
    expect(JSON.parse(both.body.toString()).kind).toBe('ServiceMonitorList');
    const only = await get(path, KUBE_PROTOBUF);
    expect([only.status, only.type]).toEqual([406, 'application/json']);
    expect(JSON.parse(only.body.toString())).toMatchObject({
      kind: 'Status',
      code: 406,
      reason: 'NotAcceptable',
      message: 'only the following media types are accepted: application/json, application/yaml',
    });
  });

  it('answers other built-in kinds in JSON, or a 406 saying the fake does not encode them', async () => {
    const path = '/api/v1/namespaces/monitoring/services';
    const both = await get(path, `${KUBE_PROTOBUF}, application/json`);
    expect([both.status, both.type]).toEqual([200, 'application/json']);
    const only = await get(path, KUBE_PROTOBUF);
    expect([only.status, only.type]).toEqual([406, KUBE_PROTOBUF]);
    const status = unwrap(only.body).raw;
    expect(int(status, 6)).toBe(406);
    expect(str(status, 3)).toMatch(
      /the fake API server does not encode ServiceList as application\/vnd\.kubernetes\.protobuf/,
    );
  });

  it('answers errors as protobuf Status objects to a protobuf client, JSON to the others', async () => {
    const bad = await get('/api/v1/nodes?continue=not-a-token', KUBE_PROTOBUF);
    expect([bad.status, bad.type]).toEqual([400, KUBE_PROTOBUF]);
    const s = unwrap(bad.body);
    expect(s.kind).toBe('Status');
    expect([str(s.raw, 2), str(s.raw, 4), int(s.raw, 6)]).toEqual(['Failure', 'BadRequest', 400]);
    const missing = await get('/api/v1/namespaces/nope', `${KUBE_PROTOBUF}, application/json`);
    expect([missing.status, missing.type]).toEqual([404, KUBE_PROTOBUF]);
    const json = await get('/api/v1/namespaces/nope', 'application/json');
    expect([json.status, json.type]).toEqual([404, 'application/json']);
    api.staticToken = 'other';
    try {
      const denied = await get('/api/v1/nodes', KUBE_PROTOBUF);
      expect([denied.status, int(unwrap(denied.body).raw, 6)]).toEqual([401, 401]);
    } finally {
      api.staticToken = 'tok';
    }
  });

  it('sends a cut-short protobuf body for a malformed fault', async () => {
    api.faults.set('list nodes', { kind: 'malformed', times: 1 });
    const r = await get('/api/v1/nodes', KUBE_PROTOBUF);
    expect([r.status, r.type]).toEqual([200, KUBE_PROTOBUF]);
    expect(() => unwrap(r.body)).toThrow(/announced/);
  });
});
