/**
 * Control identifiers. Stored in OSCAL's canonical form (`ac-6`, `ac-6.1`), shown as NIST writes them
 * (`AC-6`, `AC-6(1)`). Input accepts both forms, any case, and zero padding (`AC-06(01)`).
 */

export interface ControlId {
  /** Canonical OSCAL id: `ac-6`, `ac-6.1`. */
  id: string;
  family: string;
  number: number;
  enhancement?: number;
}

// AC-6, ac-6, AC-06, AC-6(1), AC-6 (1), ac-6.1, AC-6.01, ac-06.01
const CONTROL_RE = /^([A-Za-z]{2,3})-0*(\d{1,3})(?:\s*\(\s*0*(\d{1,3})\s*\)|\.0*(\d{1,3}))?$/;

export function parseControlId(text: string): ControlId | undefined {
  const m = CONTROL_RE.exec(text.trim());
  if (!m) return undefined;
  const family = m[1].toLowerCase();
  const number = Number(m[2]);
  const enh = m[3] ?? m[4];
  const enhancement = enh === undefined ? undefined : Number(enh);
  const id = enhancement === undefined ? `${family}-${number}` : `${family}-${number}.${enhancement}`;
  return { id, family, number, enhancement };
}

/** Canonical form of a control id, or undefined when the text is not one. */
export function canonicalControlId(text: string): string | undefined {
  return parseControlId(text)?.id;
}

/** NIST's display form: `ac-6.1` becomes `AC-6(1)`. Unparseable ids are returned unchanged. */
export function displayControlId(text: string): string {
  const c = parseControlId(text);
  if (!c) return text;
  const base = `${c.family.toUpperCase()}-${c.number}`;
  return c.enhancement === undefined ? base : `${base}(${c.enhancement})`;
}

/** The base control of an enhancement (`ac-6.1` gives `ac-6`). */
export function baseControlId(id: string): string {
  const c = parseControlId(id);
  return c ? `${c.family}-${c.number}` : id;
}

export interface ControlMention {
  /** The text as written. */
  text: string;
  /** Offset of the mention in the searched string. */
  offset: number;
  id: string;
}

// A mention inside free text: word-bounded, family of 2 letters (NIST families) to avoid noise like "TLS-1".
const MENTION_RE = /(?<![A-Za-z0-9_.-])([A-Za-z]{2})-0*(\d{1,3})(?:\s?\(\s*0*\d{1,3}\s*\)|\.\d{1,3})?(?![A-Za-z0-9_-])/g;

/** Finds control ids written in a string such as an annotation value (`"AC-6, CM-7(1)"`). */
export function findControlMentions(text: string, isKnownFamily: (family: string) => boolean): ControlMention[] {
  const out: ControlMention[] = [];
  for (const m of text.matchAll(MENTION_RE)) {
    const parsed = parseControlId(m[0]);
    if (!parsed || !isKnownFamily(parsed.family)) continue;
    out.push({ text: m[0], offset: m.index ?? 0, id: parsed.id });
  }
  return out;
}

/** Sort key so that `ac-2` < `ac-2.1` < `ac-10`. */
export function compareControlIds(a: string, b: string): number {
  const pa = parseControlId(a);
  const pb = parseControlId(b);
  if (!pa || !pb) return a.localeCompare(b);
  if (pa.family !== pb.family) return pa.family.localeCompare(pb.family);
  if (pa.number !== pb.number) return pa.number - pb.number;
  return (pa.enhancement ?? 0) - (pb.enhancement ?? 0);
}
