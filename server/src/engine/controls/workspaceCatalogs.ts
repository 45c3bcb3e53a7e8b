/**
 * Keeps the control registry in step with the workspace: every OSCAL catalog and profile the index holds,
 * those named in settings and the config file, and (with consent, in a trusted workspace) remote ones.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ControlDirectory } from '../analysis';
import type { ControlLensConfig } from '../config/config';
import { decodeBytes } from '../documents/decode';
import type { ParsedFile } from '../documents/parse';
import { rangeOfPath } from '../documents/paths';
import { RemoteFetcher } from '../net/fetch';
import type { Finding } from '../types';
import type { FileSystemHost } from '../workspace/fileSystem';
import type { IndexedFile } from '../workspace/index';
import { parseBaseline } from './builtin';
import { registryDirectory } from './directory';
import { isRemoteUri } from './href';
import { ControlRegistry, type ControlInfo } from './registry';
import { loadRemoteDocuments, parseRemoteDocument } from './remote';
import { pathToFileURL, fileURLToPath } from 'node:url';

export interface WorkspaceCatalogsOptions {
  fs: FileSystemHost;
  /** Where downloads are cached; no cache when absent. */
  cacheDir?: string;
  fetcher?: RemoteFetcher;
}

export class WorkspaceCatalogs {
  readonly registry: ControlRegistry;
  readonly directory: ControlDirectory & { info(id: string): ControlInfo | undefined };
  private readonly fs: FileSystemHost;
  private readonly fetcher: RemoteFetcher;
  private readonly fromWorkspace = new Set<string>();
  private configured: string[] = [];
  private remoteUrls: string[] = [];
  private baselineUri: string | undefined;
  private maxFileSize = 10 * 1024 * 1024;

  constructor(options: WorkspaceCatalogsOptions) {
    this.fs = options.fs;
    this.fetcher = options.fetcher ?? new RemoteFetcher({ cacheDir: options.cacheDir });
    this.registry = new ControlRegistry({ loader: (uri) => this.loadFromDisk(uri) });
    this.directory = registryDirectory(this.registry, { profile: () => this.baselineProfile() });
  }

  /** The profile lookups go through first: the configured baseline when it is a profile the registry has. */
  baselineProfile(): string | undefined {
    return this.baselineUri && this.registry.kindOf(this.baselineUri) === 'profile' ? this.baselineUri : undefined;
  }

  get baselineDocument(): string | undefined {
    return this.baselineUri;
  }

  /** Registers the catalogs and profiles a file holds (or forgets those it no longer holds). */
  syncFile(entry: IndexedFile): void {
    const uri = entry.file.uri;
    const oscal = entry.documents.find((d) => d.classification.family === 'oscal' && (d.classification.type === 'catalog' || d.classification.type === 'profile'));
    if (oscal && oscal.doc.value !== undefined) {
      this.registry.setDocument(uri, oscal.doc.value);
      this.fromWorkspace.add(uri);
    } else if (this.fromWorkspace.delete(uri)) {
      this.registry.removeDocument(uri);
    }
  }

  removeFile(uri: string): void {
    if (this.fromWorkspace.delete(uri)) this.registry.removeDocument(uri);
  }

  /**
   * Applies the `catalogs` and `baseline` settings. Local paths resolve against `base` (the folder of the
   * config file, or the first workspace root); https URLs wait for `fetchRemote`.
   */
  configure(config: ControlLensConfig, base: string): void {
    this.maxFileSize = config.maxFileSize;
    for (const uri of this.configured) if (!this.fromWorkspace.has(uri)) this.registry.removeDocument(uri);
    this.configured = [];
    this.remoteUrls = [];
    const toUri = (p: string) => (isRemoteUri(p) || /^file:/.test(p) ? p : pathToFileURL(isAbsolute(p) ? p : resolve(base, p)).href);
    for (const entry of config.catalogs) {
      const uri = toUri(entry);
      if (isRemoteUri(uri)) {
        this.remoteUrls.push(uri);
        continue;
      }
      if (this.fromWorkspace.has(uri)) continue;
      const loaded = this.loadFromDisk(uri);
      if (loaded && 'value' in loaded && this.registry.setDocument(uri, loaded.value)) this.configured.push(uri);
    }
    this.baselineUri = undefined;
    if (config.baseline && !parseBaseline(config.baseline)) {
      const uri = toUri(config.baseline);
      this.baselineUri = uri;
      if (isRemoteUri(uri)) this.remoteUrls.push(uri);
      else if (!this.fromWorkspace.has(uri) && !this.configured.includes(uri)) {
        const loaded = this.loadFromDisk(uri);
        if (loaded && 'value' in loaded && this.registry.setDocument(uri, loaded.value)) this.configured.push(uri);
      }
    }
  }

  /** Fetches remote catalogs and imports, only with consent and in a trusted workspace; failures land on the hrefs. */
  async fetchRemote(config: ControlLensConfig, trusted: boolean): Promise<void> {
    const policy = { allowRemote: config.allowRemoteCatalogs, workspaceTrusted: trusted };
    this.registry.clearRemoteErrors();
    if (!policy.allowRemote || !policy.workspaceTrusted) {
      for (const url of [...this.remoteUrls, ...this.registry.pendingRemoteImports()]) {
        this.registry.setRemoteError(
          url,
          trusted ? 'remote catalogs are not fetched unless controlLens.allowRemoteCatalogs is on' : 'remote catalogs are never fetched in an untrusted workspace',
        );
      }
      return;
    }
    await loadRemoteDocuments(this.registry, this.fetcher, policy, this.remoteUrls);
  }

  /** Loading and resolution problems located in one OSCAL file, as findings. */
  problems(file: ParsedFile): Finding[] {
    const doc = file.documents[0];
    if (!doc) return [];
    return this.registry.problems(file.uri).map((p) => ({
      range: rangeOfPath(file, doc, p.path, 'value'),
      severity: p.severity ?? 'error',
      code: p.code,
      message: p.message,
      controls: [],
      source: 'oscal' as const,
    }));
  }

  private loadFromDisk(uri: string): { value: unknown } | { error: string } | undefined {
    if (!uri.startsWith('file:')) return undefined;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return { error: `not a file path: ${uri}` };
    }
    if (!this.fs.existsSync(path)) return undefined;
    try {
      const bytes = this.fs.readFileSync(path);
      if (bytes.length > this.maxFileSize) return { error: `${path} is larger than the ${this.maxFileSize}-byte limit` };
      const value = parseRemoteDocument(decodeBytes(bytes).text);
      return value === undefined ? { error: `${path} is neither JSON nor YAML` } : { value };
    } catch (e) {
      return { error: `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
}

export function configBase(configFileUri: string | undefined, roots: string[]): string {
  if (configFileUri?.startsWith('file:')) return dirname(fileURLToPath(configFileUri));
  return roots[0] ?? process.cwd();
}
