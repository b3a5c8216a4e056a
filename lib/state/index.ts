import { ConfigError } from '../errors';
import { FileStore } from './file';
import { MemoryStore } from './memory';
import type { StateStore } from './types';

export * from './types';
export { MemoryStore, FileStore };

/** Opens the store named by `--state FILE|dynamodb:TABLE` (unset: in memory). */
export function openStateStore(spec: string | undefined, opts: { exclusive?: boolean } = {}): StateStore {
  if (!spec) return new MemoryStore();
  if (spec.startsWith('dynamodb:')) {
    const table = spec.slice('dynamodb:'.length);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table))
      throw new ConfigError(`--state ${spec}: "${table}" is not a valid DynamoDB table name`);
    // Loaded lazily: the DynamoDB client is not needed for file or memory state.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DynamoStore } = require('./dynamodb') as typeof import('./dynamodb');
    return new DynamoStore(table);
  }
  return new FileStore(spec, { exclusive: opts.exclusive });
}

/** The Lambdas' store: the DynamoDB table named by STATE_TABLE (unset: in memory, for local runs). */
export function stateStoreFromEnv(env: NodeJS.ProcessEnv): StateStore {
  return openStateStore(env.STATE_TABLE ? `dynamodb:${env.STATE_TABLE}` : undefined);
}
