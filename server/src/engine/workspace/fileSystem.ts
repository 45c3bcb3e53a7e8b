import { closeSync, constants, fstatSync, openSync, promises as fsp, readFileSync, statSync } from 'node:fs';

/** What the engine needs from a file system; the CLI and server use the node one, tests may fake it. */
export interface FileSystemHost {
  readFile(path: string): Promise<Uint8Array>;
  readFileSync(path: string): Uint8Array;
  /**
   * A file's bytes, or only its size when it is over `maxSize` (a huge file is not read just to say it is too big).
   * Synchronous on purpose: node's promise-based reads cost about ten times more per small file (a thread-pool
   * round trip for each of open, stat, read and close), and indexing reads thousands of small files.
   */
  readFileUpTo(path: string, maxSize: number): { bytes: Uint8Array } | { oversized: number };
  readDirectory(path: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]>;
  stat(path: string): Promise<{ size: number; isDirectory: boolean } | undefined>;
  existsSync(path: string): boolean;
}

export const nodeFileSystem: FileSystemHost = {
  readFile: (p) => fsp.readFile(p),
  readFileSync: (p) => readFileSync(p),
  readFileUpTo(p, maxSize) {
    // Non-blocking open and a regular-file check: a named pipe or device given as a path must not hang the thread.
    const fd = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error(`${p} is not a regular file`);
      return st.size > maxSize ? { oversized: st.size } : { bytes: readFileSync(fd) };
    } finally {
      closeSync(fd);
    }
  },
  async readDirectory(p) {
    const entries = await fsp.readdir(p, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile() }));
  },
  async stat(p) {
    try {
      const s = await fsp.stat(p);
      return { size: s.size, isDirectory: s.isDirectory() };
    } catch {
      return undefined;
    }
  },
  existsSync(p) {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  },
};
