import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/** A key's identity: its table and its attributes in name order. */
export function keyIdentity(tableName: string, key: Item): string {
  return JSON.stringify([tableName, Object.keys(key).sort().map((name) => [name, key[name]])]);
}

/** Whether an item returned by DynamoDB carries exactly the key's attribute values. */
export function hasKey(item: Item, key: Item): boolean {
  return Object.entries(key).every(([name, value]) => JSON.stringify(item[name]) === JSON.stringify(value));
}
