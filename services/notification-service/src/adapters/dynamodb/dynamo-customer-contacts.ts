import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CustomerContacts } from '../../application/ports/customer-contacts';

/** Reads the email of a customer record in the payments service's customers table (key `userId`). */
export class DynamoCustomerContacts implements CustomerContacts {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async emailOf(userId: string): Promise<string | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { userId: { S: userId } }, ProjectionExpression: 'email' }),
    );
    const email = result.Item?.email?.S;
    return email ? email : undefined;
  }
}
