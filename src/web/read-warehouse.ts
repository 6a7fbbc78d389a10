// The dashboard's only way to the warehouse: the DuckDB file opened read-only for the requests in
// flight and closed as soon as the last one finishes. A process that holds the file open (even
// read-only) stops any other process from opening it for writing, so keeping it open between
// requests would stop a `backfill` from starting; and while a backfill holds it, opening fails at
// once, which is answered as "busy" instead of an error.
import { statSync } from 'node:fs';
import { CourtsideError, errorMessage } from '../core/errors.js';
import { openWarehouse } from '../warehouse/open.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { WarehouseBusyError, WarehouseUnavailableError } from './http-errors.js';

/** Per-query timeout for the dashboard's reads: a page is never worth a long wait. */
export const READ_TIMEOUT_MS = 30_000;

/** Answers kept per server (a page's data is at most a few hundred kB). */
const CACHE_ENTRIES = 32;

/**
 * Identity of the file's content: any write by any process changes the size or modification time
 * of the file or of its write-ahead log. (Nobody writes while we read: a writer holds the lock.)
 */
export function fileVersion(dbPath: string): string {
  const part = (path: string) => {
    try {
      const s = statSync(path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch {
      return '-';
    }
  };
  return `${part(dbPath)}|${part(`${dbPath}.wal`)}`;
}

export class ReadWarehouse {
  private handle: Promise<Warehouse> | null = null;
  private users = 0;
  private readonly answers = new Map<string, { readonly version: string; readonly value: unknown }>();

  constructor(
    readonly dbPath: string,
    private readonly timeoutMs = READ_TIMEOUT_MS,
  ) {}

  /** Runs `work` on a read-only handle shared by concurrent requests; closed when none is left. */
  async use<T>(work: (wh: Warehouse) => Promise<T>): Promise<T> {
    this.users += 1;
    try {
      this.handle ??= this.open();
      return await work(await this.handle);
    } finally {
      this.users -= 1;
      if (this.users === 0 && this.handle) {
        const closing = this.handle;
        this.handle = null;
        await closing.then((wh) => wh.close()).catch(() => undefined);
      }
    }
  }

  /**
   * `use(work)`, remembered under `key` until the file changes: a page asked again while the data
   * is the same is answered without opening the file (faster, and one open fewer in a writer's way).
   */
  async cached<T>(key: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
    const before = fileVersion(this.dbPath);
    const hit = this.answers.get(key);
    if (hit && hit.version === before) {
      this.answers.delete(key); // most recently used last
      this.answers.set(key, hit);
      return hit.value as T;
    }
    const value = await this.use(work);
    // Kept only if nothing was written meanwhile, so a kept answer always matches its version.
    if (fileVersion(this.dbPath) === before) {
      this.answers.delete(key);
      this.answers.set(key, { version: before, value });
      for (const oldest of this.answers.keys()) {
        if (this.answers.size <= CACHE_ENTRIES) break;
        this.answers.delete(oldest);
      }
    }
    return value;
  }

  /** Whether the file can be opened right now (it is opened and closed again). */
  async probe(): Promise<{ readonly ready: true } | { readonly ready: false; readonly busy: boolean; readonly message: string }> {
    try {
      await this.use(async () => undefined);
      return { ready: true };
    } catch (err) {
      return { ready: false, busy: err instanceof WarehouseBusyError, message: errorMessage(err) };
    }
  }

  private open(): Promise<Warehouse> {
    return openWarehouse({ db: this.dbPath, access: 'read', defaultTimeoutMs: this.timeoutMs }).catch((err: unknown) => {
      this.handle = null;
      if (err instanceof CourtsideError && err.code === 'DB_BUSY') {
        throw new WarehouseBusyError(err.message, { cause: err });
      }
      throw new WarehouseUnavailableError(errorMessage(err), { cause: err });
    });
  }
}
