import type { HeartbeatState } from '../snapshot/types';
import type { StateStore } from '../state/types';

/** The Watchdog heartbeat the webhook recorded for a cluster. */
export async function readHeartbeat(store: StateStore, cluster: string): Promise<HeartbeatState> {
  const item = await store.get<{ lastSeenAt?: string }>(`heartbeat#${cluster}`);
  return { lastSeenAt: item?.value.lastSeenAt ?? null, source: store.kind };
}
