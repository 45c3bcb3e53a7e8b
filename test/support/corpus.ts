import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared corpus, read in place (CI has `../shared` beside the checkout). Override with CONTROL_LENS_CORPUS. */
export const CORPUS_ROOT = process.env.CONTROL_LENS_CORPUS ?? resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

export const REPO_ROOT = resolve(__dirname, '..', '..');

export function corpusPath(...parts: string[]): string {
  return join(CORPUS_ROOT, ...parts);
}

export function hasCorpus(): boolean {
  return existsSync(CORPUS_ROOT);
}

export function readCorpus(...parts: string[]): string {
  return readFileSync(corpusPath(...parts), 'utf8');
}

/** All files below a corpus folder, sorted, whose name matches `filter`. */
export function corpusFiles(folder: string, filter: RegExp = /./): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (filter.test(name)) out.push(p);
    }
  };
  walk(corpusPath(folder));
  return out;
}
