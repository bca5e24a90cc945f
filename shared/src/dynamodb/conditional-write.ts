import { ConditionalCheckFailedException, type DeleteItemCommand, type DynamoDBClient, type PutItemCommand, type UpdateItemCommand } from '@aws-sdk/client-dynamodb';

/** Sends a conditional write: true when it happened, false when its condition did not hold. */
export async function writeConditionally(client: DynamoDBClient, command: PutItemCommand | UpdateItemCommand | DeleteItemCommand): Promise<boolean> {
  try {
    await client.send(command as PutItemCommand);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
