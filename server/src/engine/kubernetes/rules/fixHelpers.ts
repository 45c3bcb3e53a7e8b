import type { JsonPath } from '../../documents/paths';
import { appendToSeq, removePair, removeSeqItem, setValue, type ScalarStyle } from '../../fixes/yamlEdits';
import type { TextEdit } from '../../types';
import type { PssViolation } from '../pss/types';
import type { RuleContext, RuleFix, RuleHit } from './types';

/** Fix helpers over paths relative to the rule's object. */
function target(ctx: RuleContext) {
  return { file: ctx.file, doc: ctx.doc };
}

function abs(ctx: RuleContext, rel: JsonPath): JsonPath {
  return [...ctx.object.path, ...rel];
}

export function setAt(ctx: RuleContext, rel: JsonPath, value: unknown, style?: ScalarStyle): TextEdit[] {
  return setValue(target(ctx), abs(ctx, rel), value, style);
}

export function removeItemAt(ctx: RuleContext, rel: JsonPath): TextEdit[] {
  return removeSeqItem(target(ctx), abs(ctx, rel));
}

export function removePairAt(ctx: RuleContext, rel: JsonPath): TextEdit[] {
  return removePair(target(ctx), abs(ctx, rel));
}

export function appendAt(ctx: RuleContext, rel: JsonPath, value: unknown): TextEdit[] {
  return appendToSeq(target(ctx), abs(ctx, rel), value);
}

/** A fix when there are edits to make, none otherwise. */
export function fix(title: string, edits: TextEdit[], safe = true): RuleFix[] {
  return edits.length ? [{ title, edits, safe }] : [];
}

export function violationOf(hit: RuleHit): PssViolation | undefined {
  return hit.data?.violation as PssViolation | undefined;
}

/** Path of the container a hit concerns (relative to the object), when the hit's path runs through one. */
export function containerPathOf(hit: RuleHit): JsonPath | undefined {
  const i = hit.path.findIndex((s) => s === 'containers' || s === 'initContainers' || s === 'ephemeralContainers');
  if (i < 0 || typeof hit.path[i + 1] !== 'number') return undefined;
  return hit.path.slice(0, i + 2);
}

/** Sets a scalar where the hit points (the hit's path names the field itself). */
export function setHitValue(ctx: RuleContext, hit: RuleHit, value: unknown, title: string, safe = true): RuleFix[] {
  return fix(title, setAt(ctx, hit.path, value), safe);
}
