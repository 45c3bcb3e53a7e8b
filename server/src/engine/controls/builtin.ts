/**
 * The built-in SP 800-53 rev5 index: ids, titles, families and baselines without any catalog loaded.
 * It knows only the controls of the generated table (see its header), so a miss means "unknown here".
 */
import { SP800_53_REV5 } from './data/sp800-53-rev5';

export type Baseline = 'LOW' | 'MODERATE' | 'HIGH' | 'PRIVACY';
export const BASELINES: readonly Baseline[] = ['LOW', 'MODERATE', 'HIGH', 'PRIVACY'];
const BY_LETTER: Record<string, Baseline> = { L: 'LOW', M: 'MODERATE', H: 'HIGH', P: 'PRIVACY' };

export interface BuiltinIndexData {
  name: string;
  version: string;
  families: [id: string, title: string][];
  /** [canonical id, title, baseline letters (L M H P), withdrawn?] */
  controls: [id: string, title: string, baselines: string, withdrawn?: boolean][];
}

export interface BuiltinControl {
  id: string;
  title: string;
  family: string;
  familyTitle: string;
  baselines: Baseline[];
  withdrawn?: boolean;
}

export class BuiltinIndex {
  readonly name: string;
  readonly version: string;
  private readonly controls = new Map<string, BuiltinControl>();
  private readonly familyTitles = new Map<string, string>();
  private readonly byBaseline = new Map<Baseline, string[]>();

  constructor(data: BuiltinIndexData) {
    this.name = data.name;
    this.version = data.version;
    for (const [id, title] of data.families) this.familyTitles.set(id, title);
    for (const b of BASELINES) this.byBaseline.set(b, []);
    for (const [id, title, letters, withdrawn] of data.controls) {
      const family = id.slice(0, id.indexOf('-'));
      const baselines = [...letters].map((l) => BY_LETTER[l]).filter((b): b is Baseline => !!b);
      const c: BuiltinControl = { id, title, family, familyTitle: this.familyTitles.get(family) ?? family.toUpperCase(), baselines };
      if (withdrawn) c.withdrawn = true;
      this.controls.set(id, c);
      for (const b of baselines) this.byBaseline.get(b)!.push(id);
    }
  }

  get(canonicalId: string): BuiltinControl | undefined {
    return this.controls.get(canonicalId);
  }

  has(canonicalId: string): boolean {
    return this.controls.has(canonicalId);
  }

  familyTitle(family: string): string | undefined {
    return this.familyTitles.get(family.toLowerCase());
  }

  families(): { id: string; title: string }[] {
    return [...this.familyTitles].map(([id, title]) => ({ id, title }));
  }

  /** The ids a NIST baseline selects, in catalog order. */
  baseline(b: Baseline): string[] {
    return [...(this.byBaseline.get(b) ?? [])];
  }

  ids(): string[] {
    return [...this.controls.keys()];
  }
}

let shared: BuiltinIndex | undefined;

/** The built-in rev5 index, built once on first use. */
export function builtinIndex(): BuiltinIndex {
  shared ??= new BuiltinIndex(SP800_53_REV5);
  return shared;
}

export function parseBaseline(text: string): Baseline | undefined {
  const t = text.trim().toUpperCase();
  if (t === 'MOD') return 'MODERATE';
  return (BASELINES as readonly string[]).includes(t) ? (t as Baseline) : undefined;
}
