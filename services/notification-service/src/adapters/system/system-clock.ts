import { randomUUID } from 'node:crypto';
import type { Clock } from '../../application/ports/clock';
import type { IdGenerator } from '../../application/ports/id-generator';

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

export class RandomIdGenerator implements IdGenerator {
  next(): string {
    return randomUUID();
  }
}
