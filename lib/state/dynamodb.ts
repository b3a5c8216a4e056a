/**
 * DynamoDB store: one item per key (`pk`), the value as JSON, a numeric `version` for optimistic
 * concurrency (ConditionExpression), `expiresAt` as the table's TTL attribute.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, expired, type PutOptions, type StateStore, type StoredItem } from './types';

export class DynamoStore implements StateStore {
  readonly kind = 'dynamodb';

  constructor(
    readonly table: string,
    private readonly client: DynamoDBClient = new DynamoDBClient({ maxAttempts: 3 }),
  ) {}

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: { S: key } }, ConsistentRead: true }),
    );
    const it = out.Item;
    if (!it?.value?.S || !it.version?.N) return undefined;
    const item: StoredItem<T> = {
      value: JSON.parse(it.value.S) as T,
      version: Number(it.version.N),
      ...(it.expiresAt?.N ? { expiresAt: Number(it.expiresAt.N) } : {}),
    };
    return expired(item) ? undefined : item;
  }

  async put<T>(key: string, value: T, opts: PutOptions = {}): Promise<number> {
    let version: number;
    let condition: string | undefined;
    const values: Record<string, { N: string }> = {};
    if (opts.expectedVersion === undefined) {
      version = ((await this.get(key))?.version ?? 0) + 1;
    } else if (opts.expectedVersion === 0) {
      version = 1;
      // An expired item still in the table (TTL deletes lazily) counts as absent.
      condition = 'attribute_not_exists(pk) OR expiresAt < :now';
      values[':now'] = { N: String(Math.floor(Date.now() / 1000)) };
    } else {
      version = opts.expectedVersion + 1;
      condition = 'version = :v';
      values[':v'] = { N: String(opts.expectedVersion) };
    }
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: key },
            value: { S: JSON.stringify(value) },
            version: { N: String(version) },
            ...(opts.ttlSeconds ? { expiresAt: { N: String(Math.floor(Date.now() / 1000) + opts.ttlSeconds) } } : {}),
          },
          ...(condition ? { ConditionExpression: condition, ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as { name?: string }).name === 'ConditionalCheckFailedException'
      )
        throw new ConflictError(key);
      throw err;
    }
    return version;
  }
}
