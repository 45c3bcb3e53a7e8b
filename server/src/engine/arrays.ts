/**
 * `target.push(...items)` passes every item as an argument, and V8 overflows its stack somewhere past 100,000
 * of them: a file with that many findings, or a repository with that many files, must not be what breaks.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
