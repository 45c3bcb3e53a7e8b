import { promises as fsp, readFileSync, statSync } from 'node:fs';

/** What the engine needs from a file system; the CLI and server use the node one, tests may fake it. */
export interface FileSystemHost {
  readFile(path: string): Promise<Uint8Array>;
  readFileSync(path: string): Uint8Array;
  readDirectory(path: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]>;
  stat(path: string): Promise<{ size: number; isDirectory: boolean } | undefined>;
  existsSync(path: string): boolean;
}

export const nodeFileSystem: FileSystemHost = {
  readFile: (p) => fsp.readFile(p),
  readFileSync: (p) => readFileSync(p),
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
