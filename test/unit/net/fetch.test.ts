/**
 * The remote fetcher: consent and trust gates, https only, limits, redirects, the disk cache and its
 * integrity check. No network: limits are driven through an injected transport; the real https
 * transport talks to a server on 127.0.0.1 with a certificate made for the test by openssl (skipped
 * when openssl is missing); the http refusal is checked against a plain http server on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteFetcher, type FetchPolicy } from '../../../server/src/engine/net/fetch';
import { httpsTransport, type Transport, type TransportResponse } from '../../../server/src/engine/net/transport';
import { makeCertificate } from '../../support/certificate';

const ALLOWED: FetchPolicy = { allowRemote: true, workspaceTrusted: true };
const URL_A = 'https://oscal.example/catalog.json';

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  chunks?: (string | Uint8Array)[];
  /** Never answer (or, with chunks, stall after sending them). */
  hang?: boolean;
  error?: string;
}

function fakeTransport(routes: Record<string, Reply | ((headers: Record<string, string>) => Reply)>): Transport & { calls: string[] } {
  const calls: string[] = [];
  const transport = (async (url: URL, req: { headers: Record<string, string>; signal: AbortSignal }): Promise<TransportResponse> => {
    calls.push(url.href);
    const route = routes[url.href];
    const reply = typeof route === 'function' ? route(req.headers) : route;
    if (!reply) return { status: 404, headers: {}, body: body([]) };
    if (reply.error) throw new Error(reply.error);
    if (reply.hang && !reply.chunks) return new Promise<TransportResponse>(() => undefined);
    return { status: reply.status ?? 200, headers: reply.headers ?? {}, body: body(reply.chunks ?? [], reply.hang) };
  }) as Transport & { calls: string[] };
  transport.calls = calls;
  return transport;
}

async function* body(chunks: (string | Uint8Array)[], hang = false): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  if (hang) await new Promise(() => undefined);
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'control-lens-fetch-'));
}

test('nothing is fetched without consent, in an untrusted workspace, or for a non-https URL', async () => {
  const t = fakeTransport({ [URL_A]: { chunks: ['{}'] } });
  const f = new RemoteFetcher({ transport: t });
  const cases: [string, FetchPolicy, string][] = [
    [URL_A, { allowRemote: false, workspaceTrusted: true }, 'disabled'],
    [URL_A, { allowRemote: true, workspaceTrusted: false }, 'untrusted'],
    [URL_A, { allowRemote: false, workspaceTrusted: false }, 'untrusted'],
    ['http://oscal.example/catalog.json', ALLOWED, 'not-https'],
    ['file:///etc/passwd', ALLOWED, 'not-https'],
    ['ftp://oscal.example/x', ALLOWED, 'not-https'],
    ['not a url', ALLOWED, 'invalid-url'],
    ['https://user:pw@oscal.example/x', ALLOWED, 'invalid-url'],
  ];
  for (const [url, policy, kind] of cases) {
    const r = await f.fetch(url, policy);
    assert.equal(r.ok, false, url);
    assert.equal(!r.ok && r.kind, kind, url);
    assert.ok(!r.ok && r.message.length > 10);
  }
  assert.deepEqual(t.calls, []);
});

test('an http server on 127.0.0.1 is never contacted', async () => {
  let requests = 0;
  const server = createHttpServer((_req, res) => {
    requests++;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const f = new RemoteFetcher();
    const r = await f.fetch(`http://127.0.0.1:${port}/catalog.json`, ALLOWED);
    assert.equal(!r.ok && r.kind, 'not-https');
    // The https transport itself refuses http too, should anyone call it directly.
    await assert.rejects(httpsTransport()(new URL(`http://127.0.0.1:${port}/`), { headers: {}, signal: new AbortController().signal }), /https only/);
    assert.equal(requests, 0);
  } finally {
    server.close();
  }
});

test('a download succeeds, is cached, and is served from the cache while fresh', async () => {
  const dir = tempDir();
  try {
    let now = 1_000_000;
    const t = fakeTransport({ [URL_A]: { chunks: ['\uFEFF{"catalog":', '{}}'], headers: { etag: '"v1"' } } });
    const f = new RemoteFetcher({ transport: t, cacheDir: dir, now: () => now });
    const first = await f.fetch(URL_A, ALLOWED);
    assert.deepEqual(first, { ok: true, url: URL_A, finalUrl: URL_A, text: '{"catalog":{}}', bytes: 17, fromCache: false });
    now += 1000;
    const second = await f.fetch(URL_A, ALLOWED);
    assert.equal(second.ok && second.fromCache, true);
    assert.equal(second.ok && second.text, '{"catalog":{}}');
    assert.equal(t.calls.length, 1);
    // A new fetcher over the same directory (a restarted server) uses the cache too.
    const again = await new RemoteFetcher({ transport: t, cacheDir: dir, now: () => now }).fetch(URL_A, ALLOWED);
    assert.equal(again.ok && again.fromCache, true);
    assert.equal(t.calls.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt or tampered cache entry is dropped and fetched again', async () => {
  const dir = tempDir();
  try {
    const t = fakeTransport({ [URL_A]: { chunks: ['{"catalog":{}}'] } });
    const f = new RemoteFetcher({ transport: t, cacheDir: dir });
    assert.equal((await f.fetch(URL_A, ALLOWED)).ok, true);
    const bodyFile = readdirSync(dir).find((n) => n.endsWith('.body'))!;
    const metaFile = readdirSync(dir).find((n) => n.endsWith('.json'))!;
    // Same length, different bytes: only the hash can tell.
    writeFileSync(join(dir, bodyFile), '{"catalog":[]}');
    const r1 = await f.fetch(URL_A, ALLOWED);
    assert.equal(r1.ok && r1.fromCache, false);
    assert.equal(r1.ok && r1.text, '{"catalog":{}}');
    assert.equal(t.calls.length, 2);
    writeFileSync(join(dir, metaFile), '{not json');
    const r2 = await f.fetch(URL_A, ALLOWED);
    assert.equal(r2.ok && r2.fromCache, false);
    assert.equal(t.calls.length, 3);
    rmSync(join(dir, bodyFile));
    const r3 = await f.fetch(URL_A, ALLOWED);
    assert.equal(r3.ok && r3.fromCache, false);
    assert.equal(t.calls.length, 4);
    assert.equal(readFileSync(join(dir, bodyFile), 'utf8'), '{"catalog":{}}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an expired entry is revalidated (304), and served stale when the server is down', async () => {
  const dir = tempDir();
  try {
    let now = 0;
    let mode: 'ok' | '304' | 'down' | '404' = 'ok';
    const seen: Record<string, string>[] = [];
    const t = fakeTransport({
      [URL_A]: (headers) => {
        seen.push(headers);
        if (mode === '304') return { status: 304 };
        if (mode === 'down') return { error: 'ECONNREFUSED' };
        if (mode === '404') return { status: 404 };
        return { chunks: ['v1'], headers: { etag: '"e1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' } };
      },
    });
    const f = new RemoteFetcher({ transport: t, cacheDir: dir, now: () => now, maxAgeMs: 1000 });
    await f.fetch(URL_A, ALLOWED);
    now = 5000;
    mode = '304';
    const r = await f.fetch(URL_A, ALLOWED);
    assert.equal(r.ok && r.text, 'v1');
    assert.equal(seen[1]['if-none-match'], '"e1"');
    assert.equal(seen[1]['if-modified-since'], 'Mon, 01 Jan 2024 00:00:00 GMT');
    now = 5500;
    assert.equal((await f.fetch(URL_A, ALLOWED)).ok, true);
    assert.equal(seen.length, 2, 'the 304 renewed the entry');
    now = 10000;
    mode = 'down';
    const stale = await f.fetch(URL_A, ALLOWED);
    assert.equal(stale.ok && stale.stale, true);
    assert.match((stale.ok && stale.warning) || '', /ECONNREFUSED/);
    mode = '404';
    const gone = await f.fetch(URL_A, ALLOWED);
    assert.equal(!gone.ok && gone.kind, 'http-status');
    assert.equal(!gone.ok && gone.status, 404);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('size limit: by declared length and while streaming', async () => {
  const t = fakeTransport({
    'https://h/declared': { headers: { 'content-length': '5000' }, chunks: ['x'] },
    'https://h/streamed': { chunks: ['x'.repeat(600), 'x'.repeat(600)] },
    'https://h/fits': { chunks: ['x'.repeat(1000)] },
  });
  const f = new RemoteFetcher({ transport: t, limits: { maxBytes: 1000 } });
  const declared = await f.fetch('https://h/declared', ALLOWED);
  assert.equal(!declared.ok && declared.kind, 'too-large');
  assert.match(!declared.ok ? declared.message : '', /over the 1000 bytes limit/);
  assert.equal((await f.fetch('https://h/streamed', ALLOWED)).ok, false);
  assert.equal((await f.fetch('https://h/fits', ALLOWED)).ok, true);
});

test('time limit: a server that never answers, and one that stalls mid-body', async () => {
  const t = fakeTransport({ 'https://h/silent': { hang: true }, 'https://h/stall': { chunks: ['{"cat'], hang: true } });
  const f = new RemoteFetcher({ transport: t, limits: { timeoutMs: 50 } });
  const started = Date.now();
  const silent = await f.fetch('https://h/silent', ALLOWED);
  const stall = await f.fetch('https://h/stall', ALLOWED);
  assert.equal(!silent.ok && silent.kind, 'timeout');
  assert.equal(!stall.ok && stall.kind, 'timeout');
  assert.ok(Date.now() - started < 2000);
});

test('redirects: followed to https, refused to http, limited in number', async () => {
  const t = fakeTransport({
    'https://h/a': { status: 301, headers: { location: '/b' } },
    'https://h/b': { status: 302, headers: { location: 'https://other.example/c.json' } },
    'https://other.example/c.json': { chunks: ['ok'] },
    'https://h/down': { status: 307, headers: { location: 'http://h/insecure' } },
    'https://h/loop': { status: 308, headers: { location: '/loop' } },
    'https://h/nowhere': { status: 302 },
  });
  const f = new RemoteFetcher({ transport: t, limits: { maxRedirects: 3 } });
  const ok = await f.fetch('https://h/a', ALLOWED);
  assert.equal(ok.ok && ok.finalUrl, 'https://other.example/c.json');
  assert.equal(ok.ok && ok.text, 'ok');
  const down = await f.fetch('https://h/down', ALLOWED);
  assert.equal(!down.ok && down.kind, 'not-https');
  assert.ok(!t.calls.includes('http://h/insecure'));
  const loop = await f.fetch('https://h/loop', ALLOWED);
  assert.equal(!loop.ok && loop.kind, 'too-many-redirects');
  assert.equal(t.calls.filter((c) => c === 'https://h/loop').length, 4);
  assert.equal(!(await f.fetch('https://h/nowhere', ALLOWED)).ok, true);
});

test('failures are results, never throws: network errors, throwing transports, non-UTF-8 bodies', async () => {
  const t = fakeTransport({ 'https://h/refused': { error: 'connect ECONNREFUSED 127.0.0.1:443' }, 'https://h/binary': { chunks: [new Uint8Array([0xff, 0xfe, 0x00, 0xc3])] } });
  const f = new RemoteFetcher({ transport: t });
  const refused = await f.fetch('https://h/refused', ALLOWED);
  assert.equal(!refused.ok && refused.kind, 'network');
  assert.match(!refused.ok ? refused.message : '', /ECONNREFUSED/);
  const binary = await f.fetch('https://h/binary', ALLOWED);
  assert.equal(!binary.ok && binary.kind, 'network');
  const throwing = new RemoteFetcher({
    transport: () => {
      throw new Error('sync boom');
    },
  });
  const r = await throwing.fetch('https://h/x', ALLOWED);
  assert.equal(!r.ok && r.kind, 'network');
});

test('concurrent fetches of one URL share a download', async () => {
  const t = fakeTransport({ [URL_A]: { chunks: ['shared'] } });
  const f = new RemoteFetcher({ transport: t });
  const [a, b] = await Promise.all([f.fetch(URL_A, ALLOWED), f.fetch(URL_A, ALLOWED)]);
  assert.equal(a.ok && b.ok && a.text === b.text, true);
  assert.equal(t.calls.length, 1);
});

test('the real https transport against a local server: download, size and time limits, redirect to http', async (t) => {
  const dir = tempDir();
  const pem = makeCertificate(dir);
  if (!pem) {
    rmSync(dir, { recursive: true, force: true });
    t.skip('openssl is not available to make a test certificate');
    return;
  }
  let httpRequests = 0;
  const plain = createHttpServer((_q, s) => {
    httpRequests++;
    s.end('{}');
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  const plainPort = (plain.address() as AddressInfo).port;
  const server = createHttpsServer({ key: pem.key, cert: pem.cert }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/catalog.json') res.end('{"catalog":{"uuid":"x"}}');
    else if (req.url === '/big') res.end('x'.repeat(5000));
    else if (req.url === '/to-http') {
      res.writeHead(302, { location: `http://127.0.0.1:${plainPort}/catalog.json` });
      res.end();
    } else if (req.url === '/slow') {
      res.writeHead(200);
      res.write('{');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const f = new RemoteFetcher({ transport: httpsTransport({ ca: pem.cert }), cacheDir: join(dir, 'cache'), limits: { maxBytes: 1000, timeoutMs: 300 } });
    const ok = await f.fetch(`${base}/catalog.json`, ALLOWED);
    assert.equal(ok.ok && ok.text, '{"catalog":{"uuid":"x"}}');
    const big = await f.fetch(`${base}/big`, ALLOWED);
    assert.equal(!big.ok && big.kind, 'too-large');
    const toHttp = await f.fetch(`${base}/to-http`, ALLOWED);
    assert.equal(!toHttp.ok && toHttp.kind, 'not-https');
    const slow = await f.fetch(`${base}/slow`, ALLOWED);
    assert.equal(!slow.ok && slow.kind, 'timeout');
    const missing = await f.fetch(`${base}/missing`, ALLOWED);
    assert.equal(!missing.ok && missing.status, 404);
    // Without the test certificate as a trust anchor, TLS verification fails: a clear network error.
    const untrusted = await new RemoteFetcher().fetch(`${base}/catalog.json`, ALLOWED);
    assert.equal(!untrusted.ok && untrusted.kind, 'network');
    assert.equal(httpRequests, 0);
  } finally {
    server.closeAllConnections();
    server.close();
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
