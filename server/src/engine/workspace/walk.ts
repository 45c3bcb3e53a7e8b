import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { join, relative, sep } from 'node:path';
import type { FileSystemHost } from './fileSystem';

export const ANALYSED_EXTENSIONS = ['.yaml', '.yml', '.json', '.rego'];
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface WalkOptions {
  include?: string[];
  exclude?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  isCancelled?: () => boolean;
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * Lists the files of a folder the engine should read: YAML, JSON and Rego, minus what `.gitignore`
 * files (at every level) and the exclude globs say, restricted to the include globs when there are any.
 */
export async function walkFiles(fs: FileSystemHost, root: string, options: WalkOptions = {}): Promise<string[]> {
  const includeMatch = options.include?.length ? picomatch(options.include, { dot: true }) : undefined;
  const excludeMatch = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : undefined;
  const out: string[] = [];
  const useGitignore = options.gitignore !== false;

  async function visit(dir: string, rules: { base: string; ig: Ignore }[]): Promise<void> {
    if (options.isCancelled?.()) return;
    let entries: Awaited<ReturnType<FileSystemHost['readDirectory']>>;
    try {
      entries = await fs.readDirectory(dir);
    } catch {
      return;
    }
    let scoped = rules;
    if (useGitignore && entries.some((e) => e.isFile && e.name === '.gitignore')) {
      try {
        const text = new TextDecoder().decode(await fs.readFile(join(dir, '.gitignore')));
        scoped = [...rules, { base: dir, ig: ignore().add(text) }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    const ignored = (path: string, isDir: boolean) =>
      scoped.some(({ base, ig }) => {
        const rel = toPosix(relative(base, path));
        return rel !== '' && !rel.startsWith('..') && ig.ignores(isDir ? `${rel}/` : rel);
      });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(dir, e.name);
      const rel = toPosix(relative(root, path));
      if (e.isDirectory) {
        if (ALWAYS_SKIPPED.has(e.name) || ignored(path, true)) continue;
        if (excludeMatch && (excludeMatch(rel) || excludeMatch(`${rel}/`))) continue;
        await visit(path, scoped);
      } else if (e.isFile) {
        const lower = e.name.toLowerCase();
        if (!ANALYSED_EXTENSIONS.some((x) => lower.endsWith(x))) continue;
        if (ignored(path, false)) continue;
        if (excludeMatch?.(rel)) continue;
        if (includeMatch && !includeMatch(rel)) continue;
        out.push(path);
      }
    }
  }

  await visit(root, []);
  return out;
}
