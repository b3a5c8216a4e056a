/** The heartbeat collector: the Watchdog heartbeat the webhook recorded for the cluster. */
import { collectionError } from '../adapters/aws-errors';
import type { HeartbeatState } from '../snapshot/types';
import type { StateStore } from '../state/types';
import type { Collector } from './types';

export async function readHeartbeat(store: StateStore, cluster: string): Promise<HeartbeatState> {
  const item = await store.get<{ lastSeenAt?: string }>(`heartbeat#${cluster}`);
  return { lastSeenAt: item?.value.lastSeenAt ?? null, source: store.kind };
}

export const heartbeatCollectors: Collector[] = [
  {
    key: 'heartbeat',
    source: 'heartbeat',
    unavailable: ({ heartbeatStore }) =>
      heartbeatStore
        ? undefined
        : 'no heartbeat store was read (pass --state FILE|dynamodb:TABLE, the store the webhook writes)',
    async collect(ctx) {
      const store = ctx.heartbeatStore!;
      try {
        ctx.parts.heartbeat = await readHeartbeat(store, ctx.cluster);
      } catch (err) {
        const { affects: _none, ...e } = collectionError(store.kind, 'read heartbeat', [], err);
        ctx.fail(e);
      }
    },
  },
];
