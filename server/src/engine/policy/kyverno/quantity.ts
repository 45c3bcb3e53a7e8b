/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `2e3`) parsed to a number of base units, enough for the
 * comparisons Kyverno's operators make. Returns undefined for anything that is not a quantity.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const base = Number(m[1]);
  if (Number.isNaN(base)) return undefined;
  if (m[2] !== undefined) return base * (BINARY[m[2]] ?? DECIMAL[m[2]] ?? 1);
  if (m[3] !== undefined) return base * 10 ** Number(m[3]);
  return base;
}
