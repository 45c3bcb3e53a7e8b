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
