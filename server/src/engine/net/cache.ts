/**
 * Downloads kept on disk, one body file and one metadata file per URL. The metadata records the
 * body's SHA-256: an entry whose body does not match (truncated write, tampering, disk error) is
 * dropped, so the caller fetches it again instead of trusting it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CacheMeta {
  url: string;
  finalUrl: string;
  sha256: string;
  bytes: number;
  /** Epoch milliseconds. */
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
}

export interface CacheEntry {
  meta: CacheMeta;
  body: Buffer;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export class DiskCache {
  constructor(readonly dir: string) {}

  private paths(url: string): { meta: string; body: string } {
    const key = sha256(url);
    return { meta: join(this.dir, `${key}.json`), body: join(this.dir, `${key}.body`) };
  }

  /** The entry for `url`, or undefined when missing or failing its integrity check (then it is removed). */
  get(url: string): CacheEntry | undefined {
    const p = this.paths(url);
    let meta: CacheMeta;
    let body: Buffer;
    try {
      meta = JSON.parse(readFileSync(p.meta, 'utf8')) as CacheMeta;
      body = readFileSync(p.body);
    } catch {
      // Missing, half-written or unreadable: clear what is left so the next write starts clean.
      this.delete(url);
      return undefined;
    }
    const valid =
      meta !== null &&
      typeof meta === 'object' &&
      meta.url === url &&
      typeof meta.fetchedAt === 'number' &&
      typeof meta.finalUrl === 'string' &&
      meta.bytes === body.length &&
      meta.sha256 === sha256(body);
    if (!valid) {
      this.delete(url);
      return undefined;
    }
    return { meta, body };
  }

  /** Writes body then metadata, each through a temporary file, so a reader never sees half an entry as valid. */
  put(url: string, body: Buffer, meta: Omit<CacheMeta, 'url' | 'sha256' | 'bytes'>): CacheMeta {
    mkdirSync(this.dir, { recursive: true });
    const p = this.paths(url);
    const full: CacheMeta = { ...meta, url, sha256: sha256(body), bytes: body.length };
    const tmp = `.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(p.body + tmp, body);
    renameSync(p.body + tmp, p.body);
    writeFileSync(p.meta + tmp, JSON.stringify(full));
    renameSync(p.meta + tmp, p.meta);
    return full;
  }

  /** Records a successful revalidation (HTTP 304). */
  touch(url: string, entry: CacheEntry, fetchedAt: number): void {
    const p = this.paths(url);
    try {
      writeFileSync(p.meta, JSON.stringify({ ...entry.meta, fetchedAt }));
    } catch {
      // A cache that cannot be written only costs a refetch later.
    }
  }

  delete(url: string): void {
    const p = this.paths(url);
    try {
      rmSync(p.meta, { force: true });
      rmSync(p.body, { force: true });
    } catch {
      // Nothing more to do: get() will keep refusing an entry it cannot verify.
    }
  }
}
