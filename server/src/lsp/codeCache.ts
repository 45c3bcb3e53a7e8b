/**
 * Compiles the server's bundles from a V8 code cache. Compiling the server bundle (1.3 MB) from source takes
 * ~27 ms on the benchmark machine, deserialising its cache ~6 ms: V8 reads the compiled functions instead of
 * parsing them.
 *
 * The cache of a bundle is made only when it has none (or V8 refused it), and not at once: `saveCodeCaches()`
 * is called once start-up has run, so the cache holds the functions start-up actually compiled. A cache made right
 * after compiling (what v8-compile-cache does) holds only the top level, and every function is still compiled
 * from source on its first call. An entry is named after the bundle's size and modification time, which change
 * with every build; V8 itself checks its version, flags and the source length.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheOptions {
  /** Where cache entries are kept (created when first written). */
  dir: string;
  /** Only files under this folder (the bundles) are compiled through the cache. */
  root: string;
}

interface Pending {
  script: Script;
  file: string;
}

interface ModuleInternals {
  prototype: { _compile(this: Module, content: string, filename: string, ...rest: unknown[]): unknown };
  wrap(source: string): string;
}

/** What the cache did in this process, for the server's log and for tests. */
export interface CodeCacheCounts {
  /** Bundles compiled from their cache entry. */
  fromCache: number;
  /** Bundles compiled from source: no entry, or one V8 refused. */
  compiled: number;
  /** Entries V8 refused (another build, V8 version or flags). */
  rejected: number;
  /** Entries written. */
  written: number;
}

const internals = Module as unknown as ModuleInternals;
const pending: Pending[] = [];
const counts: CodeCacheCounts = { fromCache: 0, compiled: 0, rejected: 0, written: 0 };
let installed: CodeCacheOptions | undefined;

export function codeCacheCounts(): CodeCacheCounts {
  return { ...counts };
}

/** The cache entry of a bundle: its name says which build of the bundle it was made from. */
export function cacheEntryName(filename: string): string {
  const { size, mtimeMs } = statSync(filename);
  return `${basename(filename)}.${size}-${Math.trunc(mtimeMs)}.v8cache`;
}

function readEntry(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Makes `require()` of the bundles under `options.root` compile through the cache in `options.dir`. */
export function installCodeCache(options: CodeCacheOptions): void {
  if (installed) return;
  installed = options;
  const root = options.root.endsWith(sep) ? options.root : options.root + sep;
  const compile = internals.prototype._compile;
  internals.prototype._compile = function (this: Module, content: string, filename: string, ...rest: unknown[]) {
    if (!filename.startsWith(root)) return compile.call(this, content, filename, ...rest);
    const entry = join(options.dir, cacheEntryName(filename));
    const cachedData = readEntry(entry);
    const script = new Script(internals.wrap(content), { filename, cachedData });
    if (cachedData && !script.cachedDataRejected) counts.fromCache++;
    else {
      counts.compiled++;
      if (cachedData) counts.rejected++;
      pending.push({ script, file: entry });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  // A server stopped before it saved leaves its cache behind here; writing is synchronous, so it fits in 'exit'.
  process.once('exit', saveCodeCaches);
}

/**
 * Writes the cache of every bundle compiled without one. Call it once start-up has run; later calls (and bundles
 * that had a cache) write nothing. Failing to write costs only the next start's speed.
 */
export function saveCodeCaches(): void {
  if (!installed) return;
  const dir = installed.dir;
  for (const { script, file } of pending.splice(0)) {
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, file);
      counts.written++;
      removeOlderEntries(dir, file);
    } catch {
      // A read-only or full disk: the server runs, only without the cache.
    }
  }
}

/** Entries of earlier builds of the same bundle are never read again. */
function removeOlderEntries(dir: string, current: string): void {
  const bundle = basename(current).replace(/\.\d+-\d+\.v8cache$/, '');
  for (const name of readdirSync(dir)) {
    if (name === basename(current) || !name.endsWith('.v8cache') || name.replace(/\.\d+-\d+\.v8cache$/, '') !== bundle) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Another server may have removed it first.
    }
  }
}
