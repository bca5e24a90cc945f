import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../../application/ports/id-generator';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** ULID-like: 10 characters of millisecond time, then 16 random ones, all lower-case Crockford base32. */
export class TimeOrderedIdGenerator implements IdGenerator {
  constructor(private readonly now: () => number = Date.now) {}

  timeOrderedId(): string {
    let time = this.now();
    let prefix = '';
    for (let i = 0; i < 10; i += 1) {
      prefix = ALPHABET[time % 32] + prefix;
      time = Math.floor(time / 32);
    }
    const random = [...randomBytes(16)].map((byte) => ALPHABET[byte % 32]).join('');
    return prefix + random;
  }
}
