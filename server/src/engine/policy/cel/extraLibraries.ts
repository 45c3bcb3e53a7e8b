import { isIP } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';
import { CelFunctionError } from './kubernetesLibrary';
import { parseImage } from '../kyverno/images';

/**
 * More of the libraries Kubernetes and Kyverno give CEL: cel-go's sets, math, strings.quote and base64 (namespaced
 * calls, bound here through a constant per namespace), `format`, and Kubernetes' IP/CIDR, semver and URL types, plus
 * Kyverno's image reference parser.
 */

type Fn = (...args: never[]) => unknown;

class SetsNamespace {}
class MathNamespace {}
class StringsNamespace {}
class Base64Namespace {}

export class CelIP {
  constructor(readonly text: string, readonly family: 4 | 6, readonly value: bigint) {}
}
export class CelCIDR {
  constructor(readonly ip: CelIP, readonly prefix: number) {}
}
export class CelSemver {
  constructor(readonly text: string, readonly parts: [number, number, number], readonly pre: string) {}
}
export class CelURL {
  constructor(readonly url: URL) {}
}
export class CelImage {
  constructor(readonly ref: ReturnType<typeof parseImage>) {}
}

function parseIP(s: string): CelIP | undefined {
  const family = isIP(s);
  if (family === 4) {
    const v = s.split('.').reduce((acc, p) => (acc << 8n) + BigInt(Number(p)), 0n);
    return new CelIP(s, 4, v);
  }
  if (family === 6) {
    if (s.includes('%')) return undefined;
    const [head, tail] = s.split('::') as [string, string | undefined];
    const toGroups = (x: string): string[] => (x ? x.split(':') : []);
    let groups = toGroups(head);
    let rest = tail !== undefined ? toGroups(tail) : [];
    const v4 = (arr: string[]): string[] => {
      const last = arr[arr.length - 1];
      if (last && last.includes('.')) {
        const n = last.split('.').map(Number);
        return [...arr.slice(0, -1), ((n[0] << 8) | n[1]).toString(16), ((n[2] << 8) | n[3]).toString(16)];
      }
      return arr;
    };
    groups = v4(groups);
    rest = v4(rest);
    const fill = tail !== undefined ? Array(8 - groups.length - rest.length).fill('0') : [];
    const all = [...groups, ...fill, ...rest];
    return new CelIP(s, 6, all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || '0', 16)), 0n));
  }
  return undefined;
}

function parseCIDR(s: string): CelCIDR | undefined {
  const [ip, prefix] = s.split('/');
  const parsed = ip ? parseIP(ip) : undefined;
  const p = Number(prefix);
  if (!parsed || prefix === undefined || !/^\d+$/.test(prefix) || p > (parsed.family === 4 ? 32 : 128)) return undefined;
  return new CelCIDR(parsed, p);
}

function cidrContains(c: CelCIDR, ip: CelIP): boolean {
  if (c.ip.family !== ip.family) return false;
  const bits = BigInt(c.ip.family === 4 ? 32 : 128);
  const shift = bits - BigInt(c.prefix);
  return c.ip.value >> shift === ip.value >> shift;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parseSemver(s: string): CelSemver | undefined {
  const m = SEMVER.exec(s);
  return m ? new CelSemver(s, [Number(m[1]), Number(m[2]), Number(m[3])], m[4] ?? '') : undefined;
}

function compareSemver(a: CelSemver, b: CelSemver): bigint {
  for (let i = 0; i < 3; i++) if (a.parts[i] !== b.parts[i]) return a.parts[i] < b.parts[i] ? -1n : 1n;
  if (a.pre === b.pre) return 0n;
  if (!a.pre) return 1n;
  if (!b.pre) return -1n;
  return a.pre < b.pre ? -1n : 1n;
}

function must<T>(v: T | undefined, what: string, s: string): T {
  if (v === undefined) throw new CelFunctionError(`invalid ${what} ${JSON.stringify(s)}`);
  return v;
}

function celFormat(template: string, args: unknown[]): string {
  let i = 0;
  return template.replace(/%([sdfeboxX%])|%\.(\d+)f/g, (m, verb: string | undefined, prec: string | undefined) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new CelFunctionError(`format: not enough arguments for ${m}`);
    const a = args[i++];
    if (prec !== undefined) return Number(a).toFixed(Number(prec));
    switch (verb) {
      case 'd':
        return String(a);
      case 'f':
        return Number(a).toFixed(6);
      case 'e':
        return Number(a).toExponential(6);
      case 'b':
        return (typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)))).toString(2);
      case 'o':
        return (typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)))).toString(8);
      case 'x':
      case 'X': {
        const s = typeof a === 'string' ? Buffer.from(a).toString('hex') : (typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)))).toString(16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
      default:
        return typeof a === 'string' ? a : Array.isArray(a) ? `[${a.map(String).join(', ')}]` : String(a);
    }
  });
}

const numeric = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v));

export function registerExtraLibraries(env: Environment): void {
  const fn = (sig: string, handler: Fn): void => {
    env.registerFunction(sig, handler as never);
  };
  const namespace = (name: string, typeName: string, ctor: new () => object): void => {
    env.registerType(typeName, ctor as never);
    env.registerConstant(name, typeName, new ctor());
  };
  namespace('sets', 'SetsNamespace', SetsNamespace);
  namespace('math', 'MathNamespace', MathNamespace);
  namespace('strings', 'StringsNamespace', StringsNamespace);
  namespace('base64', 'Base64Namespace', Base64Namespace);
  const eq = (a: unknown, b: unknown): boolean => a === b || (typeof a !== 'object' && typeof b !== 'object' && numeric(a) === numeric(b) && typeof a !== 'string' && typeof b !== 'string');
  fn('SetsNamespace.contains(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => eq(x, y))));
  fn('SetsNamespace.equivalent(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => eq(x, y))) && a.every((x) => b.some((y) => eq(x, y))));
  fn('SetsNamespace.intersects(list, list): bool', (_: unknown, a: unknown[], b: unknown[]) => b.some((x) => a.some((y) => eq(x, y))));
  const pick = (args: unknown[], better: (a: number, b: number) => boolean): unknown => {
    const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    if (list.length === 0) throw new CelFunctionError('math: empty argument list');
    return list.reduce((a, b) => (better(numeric(b), numeric(a)) ? b : a));
  };
  for (const [name, better] of [['greatest', (a: number, b: number) => a > b], ['least', (a: number, b: number) => a < b]] as const) {
    fn(`MathNamespace.${name}(dyn): dyn`, (_: unknown, a: unknown) => pick([a], better));
    fn(`MathNamespace.${name}(dyn, dyn): dyn`, (_: unknown, a: unknown, b: unknown) => pick([a, b], better));
    fn(`MathNamespace.${name}(dyn, dyn, dyn): dyn`, (_: unknown, a: unknown, b: unknown, c: unknown) => pick([a, b, c], better));
  }
  fn('MathNamespace.ceil(double): double', (_: unknown, x: number) => Math.ceil(x));
  fn('MathNamespace.floor(double): double', (_: unknown, x: number) => Math.floor(x));
  fn('MathNamespace.round(double): double', (_: unknown, x: number) => Math.sign(x) * Math.round(Math.abs(x)));
  fn('MathNamespace.abs(int): int', (_: unknown, x: bigint) => (x < 0n ? -x : x));
  fn('MathNamespace.abs(double): double', (_: unknown, x: number) => Math.abs(x));
  fn('MathNamespace.isNaN(double): bool', (_: unknown, x: number) => Number.isNaN(x));
  fn('MathNamespace.isInf(double): bool', (_: unknown, x: number) => !Number.isFinite(x) && !Number.isNaN(x));
  fn('StringsNamespace.quote(string): string', (_: unknown, s: string) => JSON.stringify(s));
  fn('Base64Namespace.encode(bytes): string', (_: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'));
  fn('Base64Namespace.decode(string): bytes', (_: unknown, s: string) => new Uint8Array(Buffer.from(s, 'base64')));
  fn('string.format(list): string', (s: string, args: unknown[]) => celFormat(s, args));
  // Kubernetes IP and CIDR library
  env.registerType('net.IP', CelIP as never);
  env.registerType('net.CIDR', CelCIDR as never);
  fn('isIP(string): bool', (s: string) => parseIP(s) !== undefined);
  fn('ip(string): net.IP', (s: string) => must(parseIP(s), 'IP address', s));
  fn('net.IP.family(): int', (ip: CelIP) => BigInt(ip.family));
  fn('net.IP.isLoopback(): bool', (ip: CelIP) => (ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n));
  fn('net.IP.isUnspecified(): bool', (ip: CelIP) => ip.value === 0n);
  fn('isCIDR(string): bool', (s: string) => parseCIDR(s) !== undefined);
  fn('cidr(string): net.CIDR', (s: string) => must(parseCIDR(s), 'CIDR', s));
  fn('net.CIDR.containsIP(string): bool', (c: CelCIDR, s: string) => cidrContains(c, must(parseIP(s), 'IP address', s)));
  fn('net.CIDR.containsIP(net.IP): bool', (c: CelCIDR, ip: CelIP) => cidrContains(c, ip));
  fn('net.CIDR.containsCIDR(string): bool', (c: CelCIDR, s: string) => {
    const o = must(parseCIDR(s), 'CIDR', s);
    return o.prefix >= c.prefix && cidrContains(c, o.ip);
  });
  fn('net.CIDR.prefixLength(): int', (c: CelCIDR) => BigInt(c.prefix));
  fn('net.CIDR.ip(): net.IP', (c: CelCIDR) => c.ip);
  // Kubernetes semver library
  env.registerType('Semver', CelSemver as never);
  fn('isSemver(string): bool', (s: string) => parseSemver(s) !== undefined);
  fn('semver(string): Semver', (s: string) => must(parseSemver(s), 'semantic version', s));
  fn('Semver.compareTo(Semver): int', (a: CelSemver, b: CelSemver) => compareSemver(a, b));
  fn('Semver.isGreaterThan(Semver): bool', (a: CelSemver, b: CelSemver) => compareSemver(a, b) > 0n);
  fn('Semver.isLessThan(Semver): bool', (a: CelSemver, b: CelSemver) => compareSemver(a, b) < 0n);
  fn('Semver.major(): int', (a: CelSemver) => BigInt(a.parts[0]));
  fn('Semver.minor(): int', (a: CelSemver) => BigInt(a.parts[1]));
  fn('Semver.patch(): int', (a: CelSemver) => BigInt(a.parts[2]));
  // Kubernetes URL library
  env.registerType('URL', CelURL as never);
  fn('url(string): URL', (s: string) => {
    try {
      return new CelURL(new URL(s));
    } catch {
      throw new CelFunctionError(`invalid URL ${JSON.stringify(s)}`);
    }
  });
  fn('URL.getScheme(): string', (u: CelURL) => u.url.protocol.replace(/:$/, ''));
  fn('URL.getHost(): string', (u: CelURL) => u.url.host);
  fn('URL.getHostname(): string', (u: CelURL) => u.url.hostname.replace(/^\[|\]$/g, ''));
  fn('URL.getPort(): string', (u: CelURL) => u.url.port);
  fn('URL.getEscapedPath(): string', (u: CelURL) => u.url.pathname);
  // Kyverno's image reference library
  env.registerType('Image', CelImage as never);
  fn('isImage(string): bool', (s: string) => /^[\w.\-/:@]+$/.test(s) && !s.endsWith(':') && !s.startsWith('/'));
  fn('image(string): Image', (s: string) => new CelImage(parseImage(s)));
  fn('Image.registry(): string', (i: CelImage) => i.ref.registry);
  fn('Image.repository(): string', (i: CelImage) => i.ref.path);
  fn('Image.identifier(): string', (i: CelImage) => (i.ref.digest ? i.ref.digest : i.ref.tag));
  fn('Image.tag(): string', (i: CelImage) => i.ref.tag);
  fn('Image.digest(): string', (i: CelImage) => i.ref.digest);
  fn('Image.containsDigest(): bool', (i: CelImage) => i.ref.digest !== '');
}
