/**
 * One HTTP GET, without following redirects (the fetcher decides whether a redirect may be followed).
 * Injectable so that tests can exercise limits without a network.
 */
import { request, type RequestOptions } from 'node:https';
import type { SecureContextOptions } from 'node:tls';

export interface TransportResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: AsyncIterable<Uint8Array>;
}

export interface TransportRequest {
  headers: Record<string, string>;
  signal: AbortSignal;
}

export type Transport = (url: URL, req: TransportRequest) => Promise<TransportResponse>;

/** Node's https client. `tls` adds trust anchors (tests use a self-signed certificate). */
export function httpsTransport(tls: Pick<SecureContextOptions, 'ca'> = {}): Transport {
  return (url, req) =>
    new Promise<TransportResponse>((resolvePromise, reject) => {
      if (url.protocol !== 'https:') {
        reject(new Error(`refusing ${url.protocol} (https only)`));
        return;
      }
      const options: RequestOptions = { method: 'GET', headers: req.headers, signal: req.signal, ...tls };
      const r = request(url, options, (res) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        resolvePromise({ status: res.statusCode ?? 0, headers, body: res });
      });
      r.on('error', reject);
      r.end();
    });
}
