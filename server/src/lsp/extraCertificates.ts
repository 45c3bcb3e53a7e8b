/**
 * The certificate authorities of the editor's NODE_EXTRA_CA_CERTS, handed over by the client under another name
 * (see serverEnvironment.ts) so that node does not parse them at the server's start.
 */
import { readFileSync } from 'node:fs';
import { globalAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { EXTRA_CA_CERTS_VAR } from './serverEnvironment';

/**
 * Trusts the certificates the client handed over, as NODE_EXTRA_CA_CERTS would have (on top of
 * node's own roots), for every https request through the global agent, reading the file on the first one.
 * Programs the server starts get NODE_EXTRA_CA_CERTS back.
 */
export function trustHandedOverCertificates(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[EXTRA_CA_CERTS_VAR];
  if (!file) return;
  env.NODE_EXTRA_CA_CERTS ??= file;
  const options = globalAgent.options as Record<string, unknown>;
  if (options.ca !== undefined) return;
  let ca: string[] | undefined;
  let read = false;
  Object.defineProperty(options, 'ca', {
    configurable: true,
    enumerable: true,
    get(): string[] | undefined {
      if (!read) {
        read = true;
        try {
          ca = [...rootCertificates, readFileSync(file, 'utf8')];
        } catch (e) {
          // Node's own words when it cannot read NODE_EXTRA_CA_CERTS; the default roots stay in force.
          process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return ca;
    },
  });
}
