/**
 * Hostile files: what an untrusted repository can hold to crash, hang or exhaust an analyser. Each case is
 * bytes (written to disk so the engine's own reading and decoding is exercised) and what a user must be told.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export interface HostileCase {
  name: string;
  /** File name inside the test folder; the extension decides the format. */
  file: string;
  /** The bytes, or a writer for files too large to hold in memory at once. */
  bytes?: Uint8Array;
  write?: (path: string) => void;
}

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    control-lens.dev/controls: "AC-6, QQ-9"
data:
  mode: strict
`;

/** The line (zero-based) where the unknown control `QQ-9` sits in MANIFEST, and its character. */
export const MANIFEST_UNKNOWN_AT = { line: 5, character: 38 };
export { MANIFEST };

const utf8 = (s: string) => new TextEncoder().encode(s);

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = bigEndian ? 0xfe : 0xff;
  out[1] = bigEndian ? 0xff : 0xfe;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + i * 2] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

/** "Billion laughs": nine levels of nine aliases each, 9^9 nodes if expanded. */
export function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) {
    const prev = names[i - 1];
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return lines.join('\n') + '\n';
}

/** The same bomb inside a Kubernetes object, where analysers walk the value. */
export function aliasBombManifest(): string {
  const body = aliasBomb()
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  bomb:\n${body}\n`;
}

export function writeLargeYaml(path: string, megabytes: number): void {
  const block = MANIFEST.replace('settings', 'settings-XXXX');
  const chunk = Array.from({ length: Math.ceil((1024 * 1024) / (block.length + 4)) }, () => `---\n${block}`).join('');
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < megabytes; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export function hostileCases(): HostileCase[] {
  const deep = 10_000;
  const millionArray = `{"catalog": {"uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724", "metadata": {"title": "Big", "last-modified": "2024-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"}, "back-matter": {"resources": [${Array(1_000_000).fill('0').join(',')}]}}}`;
  const crlf = MANIFEST.replace(/\n/g, '\r\n');
  return [
    { name: 'YAML alias bomb', file: 'bomb.yaml', bytes: utf8(aliasBomb()) },
    { name: 'YAML alias bomb inside a manifest', file: 'bomb-manifest.yaml', bytes: utf8(aliasBombManifest()) },
    { name: '50 MB file over the size limit', file: 'huge.yaml', write: (p) => writeLargeYaml(p, 50) },
    { name: '10,000-deep YAML flow nesting', file: 'deep-flow.yaml', bytes: utf8('key: ' + '['.repeat(deep) + ']'.repeat(deep) + '\n') },
    { name: '10,000-deep YAML block nesting', file: 'deep-block.yaml', bytes: utf8('- '.repeat(deep) + 'x\n') },
    { name: '10,000-deep JSON nesting', file: 'deep.json', bytes: utf8('{"a":'.repeat(deep) + '1' + '}'.repeat(deep)) },
    { name: 'a single 5 MB line', file: 'long-line.yaml', bytes: utf8(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long}\ndata: {blob: "${'x'.repeat(5 * 1024 * 1024)}"}\n`) },
    { name: 'a single 5 MB line of flow items', file: 'long-flow.yaml', bytes: utf8(`items: [${Array(5 * 1024 * 512).fill('1').join(',')}]\n`) },
    { name: 'binary content', file: 'image.yaml', bytes: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256) },
    { name: 'invalid UTF-8', file: 'latin1.yaml', bytes: Uint8Array.from([...utf8(MANIFEST.replace('strict', '')), 0xe9, 0x74, 0xe9, 0xc3, 0x28, 0x0a]) },
    { name: 'UTF-16 LE with BOM', file: 'utf16le.yaml', bytes: utf16(MANIFEST, false) },
    { name: 'UTF-16 BE with BOM', file: 'utf16be.yaml', bytes: utf16(MANIFEST, true) },
    { name: 'CRLF line ends', file: 'crlf.yaml', bytes: utf8(crlf) },
    { name: 'tabs for indentation', file: 'tabs.yaml', bytes: utf8('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n') },
    { name: 'duplicate keys', file: 'dupes.yaml', bytes: utf8(MANIFEST + 'metadata:\n  name: again\n') },
    {
      name: '__proto__ and constructor keys (YAML)',
      file: 'proto.yaml',
      bytes: utf8(
        'apiVersion: v1\nkind: ConfigMap\n__proto__: {polluted: yaml}\nconstructor: {prototype: {polluted: yaml}}\nmetadata:\n  name: proto\n  annotations:\n    __proto__: {polluted: annotation}\n    control-lens.dev/controls: "AC-6"\n  labels: {__proto__: x, constructor: y, hasOwnProperty: z, toString: w}\n',
      ),
    },
    {
      name: '__proto__ and constructor keys (JSON)',
      file: 'proto.json',
      bytes: utf8('{"apiVersion": "v1", "kind": "Pod", "__proto__": {"polluted": "json"}, "constructor": {"prototype": {"polluted": "json"}}, "metadata": {"name": "p", "__proto__": {"polluted": "json"}}, "spec": {"containers": [{"name": "c", "image": "x", "__proto__": {"polluted": "json"}}]}}'),
    },
    { name: 'OSCAL file with a million-item array', file: 'million-catalog.json', bytes: utf8(millionArray) },
  ];
}
