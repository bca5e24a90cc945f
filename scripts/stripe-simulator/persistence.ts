// Keeps the simulator's state in a JSON file under dataDir, so a dev stack restart finds its
// customers, payments, events and idempotency keys again. Each save writes a temporary file
// and renames it over the old one, so a crash never leaves a half-written state behind.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatorCore } from './core';
import type { IdempotencyRecord } from './idempotency';
import type { Collections } from './store';

export const STATE_FILE = 'stripe-simulator-state.json';
const FORMAT_VERSION = 1;

interface PersistedState {
  version: number;
  savedAt: string;
  clockOffsetSeconds: number;
  collections: Collections;
  idempotency: IdempotencyRecord[];
}

function isState(value: unknown): value is PersistedState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['version'] === FORMAT_VERSION &&
    typeof v['clockOffsetSeconds'] === 'number' &&
    typeof v['collections'] === 'object' &&
    v['collections'] !== null &&
    Array.isArray(v['idempotency'])
  );
}

export class Persistence {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly core: SimulatorCore,
    private readonly dataDir: string,
  ) {
    this.file = join(dataDir, STATE_FILE);
  }

  /** Loads saved state if there is any; an unreadable file is set aside and the simulator starts empty. */
  load(): boolean {
    mkdirSync(this.dataDir, { recursive: true });
    let loaded = false;
    if (existsSync(this.file)) {
      const text = readFileSync(this.file, 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (isState(parsed)) {
        this.core.store.restore(parsed.collections);
        this.core.idempotency.restore(parsed.idempotency);
        this.core.clock.setOffset(parsed.clockOffsetSeconds);
        loaded = true;
      } else {
        const aside = `${this.file}.unreadable-${Date.now()}`;
        renameSync(this.file, aside);
        console.warn(`stripe-simulator: ${this.file} was not a state file this version can read; moved it to ${aside} and started empty`);
      }
    }
    this.unsubscribe.push(this.core.store.onChange(() => this.markDirty()));
    // Idempotency records change without a store change (a replayed error, for instance).
    this.unsubscribe.push(
      this.core.onAfterRequest((method) => {
        if (method === 'POST' || method === 'DELETE') this.dirty = true;
        this.flush();
      }),
    );
    this.unsubscribe.push(this.core.clock.onAdvance(() => this.markDirty()));
    return loaded;
  }

  /** Changes outside a request (clock advances, webhook retries) are saved shortly after. */
  private markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 50);
    this.timer.unref();
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const state: PersistedState = {
      version: FORMAT_VERSION,
      savedAt: new Date().toISOString(),
      clockOffsetSeconds: this.core.clock.offset,
      collections: this.core.store.snapshot(),
      idempotency: this.core.idempotency.snapshot(),
    };
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    for (const u of this.unsubscribe) u();
  }
}
