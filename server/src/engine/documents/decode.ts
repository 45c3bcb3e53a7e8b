/** Turns file bytes into text, saying what was odd about them rather than failing. */
export interface DecodedText {
  text: string;
  /** Set when the bytes are not text we should analyse (binary). */
  binary?: boolean;
  /** A note for the user: an unusual encoding that was handled, or bytes that were replaced. */
  note?: string;
}

export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), note: 'The file is UTF-16 (little-endian); it was read as such.' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), note: 'The file is UTF-16 (big-endian); it was read as such.' };
  }
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const probe = bytes.subarray(start, Math.min(bytes.length, start + 8192));
  if (probe.includes(0)) return { text: '', binary: true, note: 'The file holds binary data (NUL bytes); it was not analysed.' };
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return {
      text: new TextDecoder('utf-8').decode(body),
      note: 'The file is not valid UTF-8; invalid bytes were read as U+FFFD.',
    };
  }
}

/**
 * Encodes edited text the way the original bytes were encoded (UTF-8 with or without a byte order mark,
 * UTF-16 either way round), so writing a fix changes nothing but the fix. Undefined when the original cannot
 * be reproduced: binary, bytes that were not valid UTF-8, or bytes that no longer decode to `expectedText`
 * (the file changed on disk since it was read).
 */
export function encodeLike(original: Uint8Array, expectedText: string, newText: string): Uint8Array | undefined {
  const decoded = decodeBytes(original);
  if (decoded.binary || decoded.text !== expectedText) return undefined;
  if (original[0] === 0xff && original[1] === 0xfe) return concat([0xff, 0xfe], Buffer.from(newText, 'utf16le'));
  if (original[0] === 0xfe && original[1] === 0xff) return concat([0xfe, 0xff], Buffer.from(newText, 'utf16le').swap16());
  if (decoded.note) return undefined;
  const utf8 = Buffer.from(newText, 'utf8');
  return original[0] === 0xef && original[1] === 0xbb && original[2] === 0xbf ? concat([0xef, 0xbb, 0xbf], utf8) : utf8;
}

function concat(prefix: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}
