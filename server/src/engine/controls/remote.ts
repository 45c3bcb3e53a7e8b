/**
 * Brings remote catalogs and profiles into a registry: those named by URL in settings or the config
 * file, and those that registered profiles import by an https href (repeatedly, since a fetched
 * profile may import more). Each failure is recorded in the registry, so the importing profile
 * reports the reason on its href; the results also list them for settings-level diagnostics.
 */
import { parse as parseYaml } from 'yaml';
import type { FetchFailure, FetchPolicy, RemoteFetcher } from '../net/fetch';
import type { ControlRegistry, DocumentKind } from './registry';

export interface RemoteLoadResult {
  loaded: { url: string; kind: DocumentKind; fromCache: boolean }[];
  failed: { url: string; message: string; kind: FetchFailure['kind'] | 'not-oscal' }[];
}

export interface RemoteLoadOptions {
  /** Fetch rounds for imports of fetched profiles. */
  maxRounds?: number;
  /** Documents per call, whatever the imports ask for. */
  maxDocuments?: number;
}

/** Parses a downloaded OSCAL document, JSON or YAML; undefined when it is neither. */
export function parseRemoteDocument(text: string): unknown {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return JSON.parse(trimmed);
  } catch {
    // YAML is a superset of JSON in practice; let the YAML parser have a go.
  }
  try {
    return parseYaml(text, { maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}

export async function loadRemoteDocuments(
  registry: ControlRegistry,
  fetcher: RemoteFetcher,
  policy: FetchPolicy,
  urls: string[] = [],
  options: RemoteLoadOptions = {},
): Promise<RemoteLoadResult> {
  const result: RemoteLoadResult = { loaded: [], failed: [] };
  const maxRounds = options.maxRounds ?? 5;
  const maxDocuments = options.maxDocuments ?? 50;
  const attempted = new Set<string>();
  for (let round = 0; round <= maxRounds; round++) {
    const wanted = round === 0 ? [...urls, ...registry.pendingRemoteImports()] : registry.pendingRemoteImports();
    const queue = [...new Set(wanted)].filter((u) => !attempted.has(u));
    if (queue.length === 0) break;
    for (const url of queue) {
      if (attempted.size >= maxDocuments) {
        registry.setRemoteError(url, `not fetched: more than ${maxDocuments} remote documents`);
        continue;
      }
      attempted.add(url);
      const got = await fetcher.fetch(url, policy);
      if (!got.ok) {
        registry.setRemoteError(url, got.message);
        result.failed.push({ url, message: got.message, kind: got.kind });
        continue;
      }
      const kind = registry.setDocument(url, parseRemoteDocument(got.text));
      if (!kind) {
        const message = `${url} is not an OSCAL catalog or profile`;
        registry.setRemoteError(url, message);
        result.failed.push({ url, message, kind: 'not-oscal' });
        continue;
      }
      registry.setRemoteError(url, undefined);
      result.loaded.push({ url, kind, fromCache: got.fromCache });
    }
  }
  return result;
}
