/**
 * The environment the client starts the server with, and what the server makes of it.
 *
 * NODE_EXTRA_CA_CERTS (a proxy's or a company's certificate authorities) is read and parsed by node 20 at every
 * process start, before any of the server's code runs: 35 ms for a system bundle of ~140 certificates on the
 * benchmark machine, against ~17 ms for the rest of node's own start. The server needs those certificates only
 * for fetching a remote catalog, which needs the user's consent and which most sessions never do. So the client
 * hands the path over under another name (extraCertificates.ts reads it on the server's first https request).
 *
 * The client bundles this module: it imports nothing.
 */
/**
 * Node flags for the server's process. V8 lets the young generation grow to 16 MB a semi-space, which a server
 * that has indexed a large repository then keeps resident; at 4 MB the server holds about 40 MB less after
 * indexing 10,000 manifests (244 against 282 MB) for about a tenth more collector time while indexing.
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];

/** Where the launcher keeps its code cache (see codeCache.ts). */
export const CODE_CACHE_DIR_VAR = 'CONTROL_LENS_CODE_CACHE_DIR';
/** NODE_EXTRA_CA_CERTS of the editor, for the server to read when it first needs it. */
export const EXTRA_CA_CERTS_VAR = 'CONTROL_LENS_EXTRA_CA_CERTS';

/**
 * Client side: the variables to lay over the editor's environment for the server. `undefined` removes a variable
 * (node's spawn leaves out undefined values).
 */
export function serverEnvironment(env: NodeJS.ProcessEnv, codeCacheDir: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { [CODE_CACHE_DIR_VAR]: codeCacheDir };
  if (env.NODE_EXTRA_CA_CERTS) {
    out[EXTRA_CA_CERTS_VAR] = env.NODE_EXTRA_CA_CERTS;
    out.NODE_EXTRA_CA_CERTS = undefined;
  }
  return out;
}
