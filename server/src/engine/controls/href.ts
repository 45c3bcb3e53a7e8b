/**
 * Where an OSCAL href points. A `#uuid` href names a back-matter resource whose rlinks list the same
 * document in several formats; a relative href is relative to the importing document.
 */
import { asArray, asString, isRecord, type OscalBackMatter } from './oscal';

export interface HrefTarget {
  /** Absolute URIs to try, best first. */
  candidates: string[];
  /** Why there is nothing to try. */
  error?: string;
}

const READABLE = /\.(json|ya?ml)$/i;
const XML = /(\+xml$|\/xml$|\.xml$)/i;

export function isRemoteUri(uri: string): boolean {
  return /^https?:/i.test(uri);
}

/** Resolves `href` against `baseUri`; undefined when neither is usable. */
export function absoluteUri(href: string, baseUri: string): string | undefined {
  try {
    return new URL(href, baseUri).href;
  } catch {
    try {
      return new URL(href).href;
    } catch {
      return undefined;
    }
  }
}

function rank(href: string, mediaType: string | undefined, baseUri: string): number {
  const mt = mediaType ?? '';
  const sameFormat = /ya?ml$/i.test(baseUri) ? /ya?ml/i : /json/i;
  if (sameFormat.test(mt) || sameFormat.test(href)) return 0;
  if (/json|ya?ml/i.test(mt) || READABLE.test(href)) return 1;
  return 2;
}

export function resolveHref(href: string, baseUri: string, backMatter: OscalBackMatter | undefined): HrefTarget {
  const trimmed = href.trim();
  if (!trimmed) return { candidates: [], error: 'Empty href' };
  if (trimmed.startsWith('#')) {
    const uuid = trimmed.slice(1);
    const resource = asArray(backMatter?.resources).find((r) => isRecord(r) && r.uuid === uuid);
    if (!isRecord(resource)) return { candidates: [], error: `No back-matter resource with uuid ${uuid}` };
    const links = asArray(resource.rlinks)
      .filter(isRecord)
      .map((l) => ({ href: asString(l.href) ?? '', mediaType: asString(l['media-type']) }))
      .filter((l) => l.href && !XML.test(l.mediaType ?? '') && !/\.xml$/i.test(l.href));
    if (links.length === 0) return { candidates: [], error: `Back-matter resource ${uuid} has no JSON or YAML link` };
    links.sort((a, b) => rank(a.href, a.mediaType, baseUri) - rank(b.href, b.mediaType, baseUri));
    const candidates = [...new Set(links.map((l) => absoluteUri(l.href, baseUri)).filter((u): u is string => !!u))];
    return candidates.length ? { candidates } : { candidates: [], error: `Back-matter resource ${uuid} has no usable link` };
  }
  const uri = absoluteUri(trimmed, baseUri);
  return uri ? { candidates: [uri] } : { candidates: [], error: `Cannot resolve href "${trimmed}"` };
}
