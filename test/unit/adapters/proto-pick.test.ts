import {
  NODE,
  NODE_READY,
  POD,
  ProtobufError,
  ProtoPickStream,
  pickMessage,
  protobufStatus,
} from '../../../lib/adapters/proto-pick';
import type { Pick } from '../../../lib/adapters/json-pick';
import { entry, envelope, len, s, time, v } from '../../support/protobuf-writer';

/** A Pod as a real API server writes it: Go's empty strings written too, members the pick skips. */
function pod(name: string, node: string, extra: number[] = []): number[] {
  const metadata = [
    ...s(1, name),
    ...s(2, ''),
    ...s(3, 'monitoring'),
    ...s(5, `uid-${name}`),
    ...time(8, '2024-05-01T10:00:00Z'),
    ...entry(11, 'app.kubernetes.io/name', 'prometheus-node-exporter'),
    ...entry(11, 'pod-template-generation', '1'),
    ...entry(12, 'big', 'x'.repeat(3000)),
    ...len(13, [...s(1, 'DaemonSet'), ...s(3, 'node-exporter'), ...s(4, 'ds-uid'), ...s(5, 'apps/v1'), ...v(6, 1)]),
    // managedFields (17): FieldsV1 raw JSON, skipped by its length
    ...len(17, [...s(1, 'kubelet'), ...len(7, s(1, '{"f:status":{}}'.repeat(50)))]),
  ];
  const spec = [
    ...len(2, [...s(1, 'node-exporter'), ...s(2, 'quay.io/prometheus/node-exporter:v1.5.0')]),
    ...s(10, node),
  ];
  const status = [
    ...s(1, 'Running'),
    ...len(2, [
      ...s(1, 'Ready'),
      ...s(2, 'True'),
      ...time(3, null),
      ...time(4, '2024-05-01T10:00:05Z'),
      ...s(5, ''),
      ...s(6, ''),
    ]),
    ...s(4, ''),
    ...s(6, '10.0.1.7'),
    ...time(7, '2024-05-01T10:00:01Z'),
    ...len(8, s(1, 'node-exporter')),
    ...extra,
  ];
  return [...len(1, metadata), ...len(2, spec), ...len(3, status)];
}

const POD_PICK = {
  metadata: { name: true, namespace: true, labels: true, ownerReferences: true },
  spec: { nodeName: true },
  status: { phase: true, conditions: true, podIP: true, startTime: true },
} as const;

const expectedPod = (name: string, node: string) => ({
  metadata: {
    name,
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'prometheus-node-exporter', 'pod-template-generation': '1' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-exporter', uid: 'ds-uid', controller: true },
    ],
  },
  spec: { nodeName: node },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:05Z' }],
    podIP: '10.0.1.7',
    startTime: '2024-05-01T10:00:01Z',
  },
});

function list(kind: string, items: number[][], meta: number[] = [...s(2, '123456')]): Buffer {
  return envelope(kind, [...len(1, meta), ...items.flatMap((i) => len(2, i))]);
}

describe('proto-pick: reading a Kubernetes protobuf list page', () => {
  it('picks the members of a Pod in the shape of its JSON encoding', () => {
    const bytes = Buffer.from(pod('ne-1', 'ip-10-0-1-7'));
    expect(pickMessage(bytes, POD, POD_PICK)).toEqual(expectedPod('ne-1', 'ip-10-0-1-7'));
  });

  it('leaves out what JSON leaves out when empty (a pending pod has no node, IP or start)', () => {
    const bytes = Buffer.from([
      ...len(1, [...s(1, 'p'), ...s(3, 'monitoring')]),
      ...len(2, s(10, '')),
      ...len(3, [...s(1, 'Pending'), ...s(6, '')]),
    ]);
    expect(pickMessage(bytes, POD, POD_PICK)).toEqual({
      metadata: { name: 'p', namespace: 'monitoring' },
      spec: {},
      status: { phase: 'Pending' },
    });
  });

  it('reads a Node: taints, unschedulable, conditions; an empty bool is left out; a negative int64 is read', () => {
    const node = [
      ...len(1, [...s(1, 'n1'), ...s(3, ''), ...entry(11, 'kubernetes.io/os', 'linux'), ...v(7, -5)]),
      ...len(2, [
        ...s(1, '10.0.0.0/24'),
        ...v(4, 1),
        ...len(5, [...s(1, 'dedicated'), ...s(2, 'gpu'), ...s(3, 'NoSchedule')]),
      ]),
      ...len(3, [
        ...len(1, [...s(1, 'cpu'), ...len(2, s(1, '2'))]),
        ...len(4, [...s(1, 'Ready'), ...s(2, 'False'), ...time(3, '2024-05-01T10:00:00Z'), ...s(5, 'KubeletNotReady')]),
        ...len(8, [...s(1, 'image'), ...v(2, 123456789)]),
      ]),
    ];
    const pick: Pick = {
      metadata: { name: true, labels: true, generation: true },
      spec: { unschedulable: true, taints: true },
      status: { conditions: true },
    };
    expect(pickMessage(Buffer.from(node), NODE, pick)).toEqual({
      metadata: { name: 'n1', labels: { 'kubernetes.io/os': 'linux' }, generation: -5 },
      spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      status: {
        conditions: [
          { type: 'Ready', status: 'False', lastHeartbeatTime: '2024-05-01T10:00:00Z', reason: 'KubeletNotReady' },
        ],
      },
    });
    const schedulable = [...len(2, v(4, 0))];
    expect(pickMessage(Buffer.from(schedulable), NODE, pick)).toEqual({ spec: {} });
  });

  it('NODE_READY keeps only the Ready condition, whatever the order of the members of the others', () => {
    const cond = (type: string, status: string) => len(4, [...s(1, type), ...s(2, status), ...s(6, `${type} says`)]);
    // A condition whose type is not its first member (not Go's order) is read whole, then judged.
    const late = (type: string) => len(4, [...s(2, 'True'), ...s(1, type)]);
    const node = (conditions: number[][]) => Buffer.from([...len(1, s(1, 'n1')), ...len(3, conditions.flat())]);
    const pick: Pick = { metadata: { name: true }, status: { conditions: true } };
    const ready = { type: 'Ready', status: 'True', message: 'Ready says' };
    expect(
      pickMessage(
        node([cond('MemoryPressure', 'False'), cond('Ready', 'True'), cond('Readyz', 'True')]),
        NODE_READY,
        pick,
      ),
    ).toEqual({ metadata: { name: 'n1' }, status: { conditions: [ready] } });
    expect(pickMessage(node([late('DiskPressure'), late('Ready'), cond('Rea', 'True')]), NODE_READY, pick)).toEqual({
      metadata: { name: 'n1' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    // No Ready condition: no conditions member (the collector's trim makes it [] from either encoding).
    expect(pickMessage(node([cond('PIDPressure', 'False')]), NODE_READY, pick)).toEqual({
      metadata: { name: 'n1' },
      status: {},
    });
    // NODE itself keeps them all.
    expect(
      (
        pickMessage(node([cond('MemoryPressure', 'False'), cond('Ready', 'True')]), NODE, pick) as {
          status: { conditions: unknown[] };
        }
      ).status.conditions,
    ).toHaveLength(2);
  });

  it('streams a page in chunks of any size to the same items, map dropping some, with its ListMeta', () => {
    const items = Array.from({ length: 7 }, (_, i) => pod(`ne-${i}`, `node-${i}`));
    const page = list('PodList', items, [...s(2, '123456'), ...s(3, 'next-token'), ...v(4, 42)]);
    const whole = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
    whole.push(page);
    const want = whole.end();
    expect(want.metadata).toEqual({ resourceVersion: '123456', continue: 'next-token', remainingItemCount: 42 });
    expect(want.items).toEqual(items.map((_, i) => expectedPod(`ne-${i}`, `node-${i}`)));
    for (const size of [1, 2, 3, 5, 64, 1000, 4099]) {
      const stream = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] }, (o) =>
        (o as { metadata: { name: string } }).metadata.name.endsWith('3') ? undefined : o,
      );
      for (let at = 0; at < page.length; at += size) stream.push(page.subarray(at, at + size));
      const got = stream.end();
      expect(got.metadata).toEqual(want.metadata);
      expect(got.items).toEqual(want.items.filter((_, i) => i !== 3));
    }
  });

  it('gives each item to map as soon as its bytes are in, not at the end', () => {
    const page = list('PodList', [pod('a', 'n'), pod('b', 'n')]);
    const seen: string[] = [];
    const stream = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] }, (o) => {
      seen.push((o as { metadata: { name: string } }).metadata.name);
      return o;
    });
    const half = Math.floor(page.length * 0.75);
    stream.push(page.subarray(0, half));
    expect(seen).toEqual(['a']);
    stream.push(page.subarray(half));
    stream.end();
    expect(seen).toEqual(['a', 'b']);
  });

  it('an empty list is a list with no items', () => {
    const stream = new ProtoPickStream(NODE, { metadata: true, items: [true] });
    stream.push(list('NodeList', []));
    expect(stream.end()).toEqual({ metadata: { resourceVersion: '123456' }, items: [] });
  });

  it('refuses a page cut short, one without the k8s prefix, one that is not a list, and an encoded one', () => {
    const page = list('PodList', [pod('a', 'n'), pod('b', 'n')]);
    for (const cut of [2, 10, page.length - 1]) {
      const stream = new ProtoPickStream(POD, { metadata: true, items: [POD_PICK] });
      stream.push(page.subarray(0, cut));
      expect(() => stream.end()).toThrow(ProtobufError);
    }
    const json = new ProtoPickStream(POD, { items: [true] });
    expect(() => {
      json.push(Buffer.from('{"kind":"PodList","items":[]}'));
      json.end();
    }).toThrow(/not a Kubernetes protobuf object/);
    const one = new ProtoPickStream(POD, { items: [true] });
    expect(() => one.push(envelope('Pod', pod('a', 'n')))).toThrow(/a Pod, not a list/);
    const gz = new ProtoPickStream(POD, { items: [true] });
    expect(() => gz.push(envelope('PodList', [], s(3, 'gzip')))).toThrow(/encoded \(gzip\)/);
  });

  it('reads a Status the API server sent in protobuf for an error; anything else is not one', () => {
    const status = envelope('Status', [
      ...len(1, []),
      ...s(2, 'Failure'),
      ...s(3, 'pods is forbidden: User "stackcheck" cannot list resource "pods"'),
      ...s(4, 'Forbidden'),
      ...v(6, 403),
    ]);
    expect(protobufStatus(status)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'pods is forbidden: User "stackcheck" cannot list resource "pods"',
      reason: 'Forbidden',
      code: 403,
    });
    expect(protobufStatus(Buffer.from('{"kind":"Status"}'))).toBeUndefined();
    expect(protobufStatus(list('PodList', []))).toBeUndefined();
    expect(protobufStatus(status.subarray(0, status.length - 3))).toBeUndefined();
  });
});

describe('proto-pick: map keys', () => {
  it('a label named __proto__ is an own member, as JSON.parse makes it, not the object prototype', () => {
    const bytes = Buffer.from(len(1, [...s(1, 'p'), ...entry(11, '__proto__', 'x'), ...entry(11, 'a', 'b')]));
    const got = pickMessage(bytes, POD, { metadata: { labels: true } }) as { metadata: { labels: object } };
    expect(got.metadata.labels).toEqual(JSON.parse('{"__proto__":"x","a":"b"}'));
    expect(Object.getPrototypeOf(got.metadata.labels)).toBe(Object.prototype);
    expect(Object.keys(got.metadata.labels)).toEqual(['__proto__', 'a']);
  });
});

describe('proto-pick: strings already read', () => {
  it('reads every string right when thousands of different ones share the slots of those read before', () => {
    // 20 000 label pairs of the same lengths (many share a slot), each read twice, then non-ASCII
    // and 65-byte ones (never kept): every value must be its own bytes.
    const pairs = Array.from({ length: 20_000 }, (_, i) => [`k${String(i).padStart(7, '0')}`, `v-${i % 977}-${i}`]);
    const meta = (from: number, to: number) => pairs.slice(from, to).flatMap(([k, val]) => entry(11, k, val));
    for (const [from, to] of [
      [0, 20_000],
      [0, 20_000],
      [10_000, 12_000],
    ]) {
      const got = pickMessage(Buffer.from(len(1, meta(from, to))), POD, { metadata: { labels: true } }) as {
        metadata: { labels: Record<string, string> };
      };
      expect(got.metadata.labels).toEqual(Object.fromEntries(pairs.slice(from, to)));
    }
    const odd = ['zoné', 'ü'.repeat(40), 'x'.repeat(65), 'x'.repeat(64), '', 'Ready', 'Readz'];
    const got = pickMessage(
      Buffer.from(
        len(
          1,
          odd.flatMap((val, i) => entry(11, `k${i}`, val)),
        ),
      ),
      POD,
      { metadata: { labels: true } },
    ) as { metadata: { labels: Record<string, string> } };
    expect(Object.values(got.metadata.labels)).toEqual(odd);
  });
});
