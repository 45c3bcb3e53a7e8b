/**
 * The controls a Control Lens diagnostic maps to: from its `data.controls` (canonical ids) when the client kept
 * it, else from the `[AC-6, CM-7(1)]` the server appends to the message. Pure, for tests.
 */
export function controlsOfDiagnostic(message: string, data: unknown): string[] {
  const fromData = (data as { controls?: unknown } | undefined)?.controls;
  if (Array.isArray(fromData) && fromData.every((c) => typeof c === 'string')) return fromData as string[];
  const m = /\[([^\]]+)\]\s*$/.exec(message);
  if (!m) return [];
  const out: string[] = [];
  for (const part of m[1].split(',')) {
    const id = /^\s*([A-Za-z]{2})-0*(\d{1,3})(?:\s*\(\s*0*(\d{1,3})\s*\))?\s*$/.exec(part);
    if (id) out.push(`${id[1].toLowerCase()}-${Number(id[2])}${id[3] ? `.${Number(id[3])}` : ''}`);
  }
  return out;
}

/** The control id written at `character` of a line (`AC-6`, `ac-6.1`, `CM-7(1)`), canonical, with its span. */
export function controlIdAt(line: string, character: number): { id: string; start: number; end: number } | undefined {
  for (const m of line.matchAll(/(?<![A-Za-z0-9_.-])([A-Za-z]{2})-0*(\d{1,3})(?:\s?\(\s*0*(\d{1,3})\s*\)|\.0*(\d{1,3}))?(?![A-Za-z0-9_-])/g)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (character < start || character > end) continue;
    const enh = m[3] ?? m[4];
    return { id: `${m[1].toLowerCase()}-${Number(m[2])}${enh ? `.${Number(enh)}` : ''}`, start, end };
  }
  return undefined;
}
