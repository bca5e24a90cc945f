import type { ClaimResult, NotificationLedger } from '../../src/application/ports/notification-ledger';

interface Entry {
  status: 'sending' | 'sent' | 'rejected';
  token: string;
  leaseExpiresAt: number;
}

export class InMemoryNotificationLedger implements NotificationLedger {
  readonly entries = new Map<string, Entry>();

  async claim(eventId: string, now: number, leaseMs: number, token: string): Promise<ClaimResult> {
    const entry = this.entries.get(eventId);
    if (!entry || (entry.status === 'sending' && entry.leaseExpiresAt < now)) {
      this.entries.set(eventId, { status: 'sending', token, leaseExpiresAt: now + leaseMs });
      return { outcome: 'claimed', token };
    }
    if (entry.status !== 'sending') return { outcome: entry.status };
    return { outcome: 'in_progress', leaseExpiresAt: entry.leaseExpiresAt };
  }

  async markSent(eventId: string, token: string): Promise<void> {
    this.finish(eventId, token, 'sent');
  }

  async markRejected(eventId: string, token: string): Promise<void> {
    this.finish(eventId, token, 'rejected');
  }

  async release(eventId: string, token: string): Promise<void> {
    const entry = this.entries.get(eventId);
    if (entry?.token === token && entry.status === 'sending') this.entries.delete(eventId);
  }

  private finish(eventId: string, token: string, status: 'sent' | 'rejected'): void {
    const entry = this.entries.get(eventId);
    if (entry?.token === token) this.entries.set(eventId, { ...entry, status });
  }
}
