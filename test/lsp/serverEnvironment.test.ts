/**
 * NODE_EXTRA_CA_CERTS handed from the client to the server under another name (server/src/lsp/serverEnvironment.ts,
 * extraCertificates.ts): node does not read it at the server's start, and the engine's https requests still trust
 * those certificates. The server side runs in fresh node processes against a local https server whose certificate
 * openssl makes for the test (skipped without openssl).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CODE_CACHE_DIR_VAR, EXTRA_CA_CERTS_VAR, serverEnvironment } from '../../server/src/lsp/serverEnvironment';
import { REPO_ROOT } from '../support/corpus';
import { makeCertificate } from '../support/certificate';

test('the client hands NODE_EXTRA_CA_CERTS over under another name and removes it from the server environment', () => {
  const env = serverEnvironment({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/company-ca.pem' }, '/storage/code-cache');
  assert.deepEqual(env, { [CODE_CACHE_DIR_VAR]: '/storage/code-cache', [EXTRA_CA_CERTS_VAR]: '/etc/company-ca.pem', NODE_EXTRA_CA_CERTS: undefined });
  assert.deepEqual(serverEnvironment({ PATH: '/bin' }, '/c'), { [CODE_CACHE_DIR_VAR]: '/c' });
  // Laid over the editor's environment the way the language client does it, node's spawn leaves the variable out.
  const editor: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: '/etc/company-ca.pem' };
  const child = execFileSync(process.execPath, ['-p', 'JSON.stringify([process.env.NODE_EXTRA_CA_CERTS ?? null, process.env.' + EXTRA_CA_CERTS_VAR + '])'], {
    env: { ...editor, ...env },
    encoding: 'utf8',
  });
  assert.deepEqual(JSON.parse(child), [null, '/etc/company-ca.pem']);
});

interface ServerSide {
  status: number | string;
  nodeExtraCaCerts: string | null;
}

/**
 * A server-side process: optionally trusts the handed-over certificates, then (only then) writes the certificate
 * file, so a success shows the file was read at the request, and requests `url` through the engine's transport.
 */
async function serverSide(url: string, certFile: string, certPem: string, trust: boolean): Promise<ServerSide> {
  const script = `
    const { writeFileSync } = require('node:fs');
    const { trustHandedOverCertificates } = require(${JSON.stringify(join(REPO_ROOT, 'server/src/lsp/extraCertificates.ts'))});
    const { httpsTransport } = require(${JSON.stringify(join(REPO_ROOT, 'server/src/engine/net/transport.ts'))});
    if (${trust}) trustHandedOverCertificates();
    writeFileSync(${JSON.stringify(certFile)}, process.env.TEST_CERT_PEM);
    httpsTransport()(new URL(${JSON.stringify(url)}), { headers: {}, signal: AbortSignal.timeout(5000) }).then(
      (r) => r.status,
      (e) => e.code ?? e.message,
    ).then((status) => process.stdout.write(JSON.stringify({ status, nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ?? null })));`;
  const env: NodeJS.ProcessEnv = { ...process.env, [EXTRA_CA_CERTS_VAR]: certFile, TEST_CERT_PEM: certPem };
  delete env.NODE_EXTRA_CA_CERTS;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { env, encoding: 'utf8' });
  return JSON.parse(stdout) as ServerSide;
}

test('the server trusts the handed-over certificates on its first https request, not before', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'control-lens-extra-ca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pem = makeCertificate(dir);
  if (!pem) {
    t.skip('openssl is not available to make a test certificate');
    return;
  }
  const server = createServer({ key: pem.key, cert: pem.cert }, (_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/catalog.json`;

  const trusted = await serverSide(url, join(dir, 'trusted.pem'), pem.cert, true);
  assert.equal(trusted.status, 200);
  assert.equal(trusted.nodeExtraCaCerts, join(dir, 'trusted.pem'), 'programs the server starts get the variable back');

  const untrusted = await serverSide(url, join(dir, 'untrusted.pem'), pem.cert, false);
  assert.notEqual(untrusted.status, 200);
  assert.match(String(untrusted.status), /CERT|SELF_SIGNED|UNABLE/);
});

test('an unreadable certificate file is reported as node reports it, and the default roots stay', async () => {
  const missing = join(tmpdir(), `control-lens-no-such-ca-${process.pid}`, 'ca.pem');
  const script = `
    const { trustHandedOverCertificates } = require(${JSON.stringify(join(REPO_ROOT, 'server/src/lsp/extraCertificates.ts'))});
    const { globalAgent } = require('node:https');
    trustHandedOverCertificates();
    process.stdout.write(JSON.stringify(globalAgent.options.ca ?? null));`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], {
    env: { ...process.env, [EXTRA_CA_CERTS_VAR]: missing },
    encoding: 'utf8',
  });
  assert.equal(JSON.parse(stdout), null);
  assert.match(stderr, /Ignoring extra certs from/);
});
