import type { JsonPath } from '../../documents/paths';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_DEPTH = 200;

/** Visits every object in a value, depth first, with its path; stops at hostile depths. */
export function forEachObject(value: unknown, path: JsonPath, visit: (obj: Record<string, unknown>, path: JsonPath) => void): void {
  const walk = (v: unknown, p: JsonPath, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (typeof item === 'object' && item !== null) walk(item, [...p, i], depth + 1);
      }
    } else if (isRecord(v)) {
      visit(v, p);
      for (const k of Object.keys(v)) {
        const child = v[k];
        if (typeof child === 'object' && child !== null) walk(child, [...p, k], depth + 1);
      }
    }
  };
  walk(value, path, 0);
}

/** The nearest key above a path (the name of the list an object sits in: `parties`, `components`, ...). */
export function containerKey(path: JsonPath): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}
