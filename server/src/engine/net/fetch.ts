/**
 * Fetching remote OSCAL documents (catalogs and profiles named by URL in settings, the config file,
 * or an import href). Only https, only with the user's consent and in a trusted workspace, with
 * limits on size, time and redirects, through an on-disk cache. Never throws: every failure is a
 * result the caller turns into a diagnostic on the href.
 */
import { DiskCache, type CacheEntry } from './cache';
import { httpsTransport, type Transport } from './transport';

export interface FetchPolicy {
  /** The user's consent setting; off by default. */
  allowRemote: boolean;
  /** False in an untrusted workspace: then nothing is fetched, whatever the setting says. */
  workspaceTrusted: boolean;
}

export interface FetchLimits {
  maxBytes: number;
  /** For the whole download, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
}

export const DEFAULT_LIMITS: FetchLimits = {
  // NIST's full rev5 catalog in JSON is about 10 MB; leave room, refuse anything absurd.
  maxBytes: 32 * 1024 * 1024,
  timeoutMs: 30_000,
  maxRedirects: 5,
};

export type FetchErrorKind =
  | 'untrusted'
  | 'disabled'
  | 'invalid-url'
  | 'not-https'
  | 'too-large'
  | 'timeout'
  | 'too-many-redirects'
  | 'http-status'
  | 'network';

export interface FetchSuccess {
  ok: true;
  url: string;
  /** After redirects. */
  finalUrl: string;
  text: string;
  bytes: number;
  fromCache: boolean;
  /** Served from an expired cache entry because refreshing it failed; `warning` says why. */
  stale?: boolean;
  warning?: string;
}

export interface FetchFailure {
  ok: false;
  url: string;
  kind: FetchErrorKind;
  message: string;
  status?: number;
}

export type FetchResult = FetchSuccess | FetchFailure;

export interface FetcherOptions {
  /** Where downloads are cached; no cache when absent. */
  cacheDir?: string;
  limits?: Partial<FetchLimits>;
  transport?: Transport;
  /** How long a cached download is used without asking the server again. Default one day. */
  maxAgeMs?: number;
  now?: () => number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Why a URL may not be fetched under this policy, or undefined when it may. */
export function refusal(url: string, policy: FetchPolicy): FetchFailure | undefined {
  const fail = (kind: FetchErrorKind, message: string): FetchFailure => ({ ok: false, url, kind, message });
  if (!policy.workspaceTrusted) return fail('untrusted', `Not fetching ${url}: the workspace is not trusted`);
  if (!policy.allowRemote) return fail('disabled', `Not fetching ${url}: downloading remote catalogs is turned off in the settings`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('invalid-url', `Not a valid URL: ${url}`);
  }
  if (parsed.protocol !== 'https:') return fail('not-https', `Not fetching ${url}: only https URLs are fetched`);
  if (parsed.username || parsed.password) return fail('invalid-url', `Not fetching ${url}: credentials in URLs are not sent`);
  return undefined;
}

export class RemoteFetcher {
  private readonly limits: FetchLimits;
  private readonly transport: Transport;
  private readonly cache: DiskCache | undefined;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly inFlight = new Map<string, Promise<FetchResult>>();

  constructor(options: FetcherOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.transport = options.transport ?? httpsTransport();
    this.cache = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
    this.maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Fetches `url` as text. Concurrent calls for one URL share a download. */
  fetch(url: string, policy: FetchPolicy): Promise<FetchResult> {
    const refused = refusal(url, policy);
    if (refused) return Promise.resolve(refused);
    const key = new URL(url).href;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchOnce(key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async fetchOnce(url: string): Promise<FetchResult> {
    let cached: CacheEntry | undefined;
    try {
      cached = this.cache?.get(url);
    } catch {
      cached = undefined;
    }
    if (cached && this.now() - cached.meta.fetchedAt < this.maxAgeMs) return fromEntry(url, cached);
    try {
      const got = await this.download(url, cached);
      if (got.notModified && cached) {
        this.cache?.touch(url, cached, this.now());
        return fromEntry(url, cached);
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(got.body).replace(/^\uFEFF/, '');
      } catch {
        return { ok: false, url, kind: 'network', message: `${url} is not UTF-8 text` };
      }
      try {
        this.cache?.put(url, got.body, { finalUrl: got.finalUrl, fetchedAt: this.now(), etag: got.etag, lastModified: got.lastModified });
      } catch {
        // Not being able to cache does not make the download wrong.
      }
      return { ok: true, url, finalUrl: got.finalUrl, text, bytes: got.body.length, fromCache: false };
    } catch (e) {
      const err = e instanceof FetchError ? e : new FetchError('network', `Cannot fetch ${url}: ${e instanceof Error ? e.message : String(e)}`);
      if (cached && (err.kind === 'network' || err.kind === 'timeout' || (err.kind === 'http-status' && (err.status ?? 0) >= 500))) {
        return { ...fromEntry(url, cached), stale: true, warning: err.message };
      }
      return { ok: false, url, kind: err.kind, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
    }
  }

  private async download(
    url: string,
    cached: CacheEntry | undefined,
  ): Promise<{ body: Buffer; finalUrl: string; etag?: string; lastModified?: string; notModified?: boolean }> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new FetchError('timeout', `Fetching ${url} took longer than ${Math.round(this.limits.timeoutMs / 1000)} s`));
      }, this.limits.timeoutMs);
    });
    // Whatever the transport does after a timeout, its late rejection must not go unhandled.
    timeout.catch(() => undefined);
    try {
      return await Promise.race([this.follow(url, cached, controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private async follow(
    url: string,
    cached: CacheEntry | undefined,
    signal: AbortSignal,
  ): Promise<{ body: Buffer; finalUrl: string; etag?: string; lastModified?: string; notModified?: boolean }> {
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5', 'user-agent': 'control-lens' };
      if (cached && hop === 0) {
        if (cached.meta.etag) headers['if-none-match'] = cached.meta.etag;
        if (cached.meta.lastModified) headers['if-modified-since'] = cached.meta.lastModified;
      }
      const res = await this.transport(current, { headers, signal });
      if (REDIRECTS.has(res.status)) {
        discard(res.body);
        const location = res.headers.location;
        if (!location) throw new FetchError('http-status', `${current.href} redirected without a location`, res.status);
        if (hop + 1 > this.limits.maxRedirects) throw new FetchError('too-many-redirects', `Fetching ${url} was redirected more than ${this.limits.maxRedirects} times`);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new FetchError('invalid-url', `${current.href} redirected to an invalid URL`);
        }
        if (next.protocol !== 'https:') throw new FetchError('not-https', `${current.href} redirected to ${next.href}: only https URLs are fetched`);
        current = next;
        continue;
      }
      if (res.status === 304 && cached) {
        discard(res.body);
        return { body: cached.body, finalUrl: cached.meta.finalUrl, notModified: true };
      }
      if (res.status < 200 || res.status > 299) {
        discard(res.body);
        throw new FetchError('http-status', `Fetching ${current.href} failed: HTTP ${res.status}`, res.status);
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > this.limits.maxBytes) {
        discard(res.body);
        throw new FetchError('too-large', `${current.href} is ${formatBytes(declared)}, over the ${formatBytes(this.limits.maxBytes)} limit`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > this.limits.maxBytes) {
          discard(res.body);
          throw new FetchError('too-large', `${current.href} is over the ${formatBytes(this.limits.maxBytes)} limit`);
        }
        chunks.push(Buffer.from(chunk));
      }
      return { body: Buffer.concat(chunks), finalUrl: current.href, etag: res.headers.etag, lastModified: res.headers['last-modified'] };
    }
  }
}

function fromEntry(url: string, entry: CacheEntry): FetchSuccess {
  return {
    ok: true,
    url,
    finalUrl: entry.meta.finalUrl,
    text: new TextDecoder('utf-8').decode(entry.body).replace(/^\uFEFF/, ''),
    bytes: entry.body.length,
    fromCache: true,
  };
}

/** Stops a response body we will not read, so its socket is released. */
function discard(body: AsyncIterable<Uint8Array>): void {
  const b = body as { destroy?: () => void };
  try {
    if (typeof b.destroy === 'function') b.destroy();
  } catch {
    // Already closed.
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
