/** Publishing to SNS with the real SDK client (endpoint from AWS_ENDPOINT_URL_SNS when set). */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

export interface SnsPublishInput {
  topicArn: string;
  subject: string;
  message: string;
  attributes: Record<string, string>;
  /** `json`: `message` is a JSON object with per-protocol messages (`default`, `email`, …). */
  messageStructure?: 'json';
}

export function snsClient(): SNSClient {
  return new SNSClient({ maxAttempts: 3 });
}

export async function publishToSns(client: SNSClient, input: SnsPublishInput): Promise<string | undefined> {
  const out = await client.send(
    new PublishCommand({
      TopicArn: input.topicArn,
      Subject: input.subject,
      Message: input.message,
      ...(input.messageStructure ? { MessageStructure: input.messageStructure } : {}),
      MessageAttributes: Object.fromEntries(
        Object.entries(input.attributes)
          .filter(([, v]) => v !== '')
          .map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
      ),
    }),
  );
  return out.MessageId;
}
