import { displayControlId } from '../../controls/ids';
import type { OscalParam } from '../../controls/oscal';
import { renderStatement } from '../../controls/render';
import type { JsonPath } from '../../documents/paths';
import type { ParsedFile } from '../../documents/parse';
import type { Position } from '../../types';
import type { OscalEnvironment } from '../analyze';
import { parameterIds } from '../semantic/controls';
import { isRecord } from '../semantic/walk';
import { cursorAt, scalarRange } from './context';
import type { HoverResult } from './navigation';
import { catalogFor, findParam, valueAtPath } from './targets';

/** Parameter values a requirement (and the control implementation around it) sets, by parameter id. */
function setValues(root: unknown, path: JsonPath): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // Outer settings first, so that the requirement's own override them.
  for (let i = 1; i < path.length; i++) {
    const o = valueAtPath(root, path.slice(0, i));
    if (!isRecord(o) || !Array.isArray(o['set-parameters'])) continue;
    for (const sp of o['set-parameters']) {
      if (isRecord(sp) && typeof sp['param-id'] === 'string' && Array.isArray(sp.values)) out.set(sp['param-id'], sp.values.filter((v): v is string => typeof v === 'string'));
    }
  }
  return out;
}

/**
 * Hover on a control id of an OSCAL document (`control-id`, `with-ids`): the control in the catalog or
 * profile the document imports, with its statement showing the values this document sets. `generic` is
 * the engine's own control hover, put first so that the engine does not repeat it.
 */
export function oscalControlHover(file: ParsedFile, position: Position, env: OscalEnvironment, generic?: (id: string) => string | undefined): HoverResult | undefined {
  const ctx = cursorAt(file, position, env);
  if (!ctx || ctx.onKey || typeof ctx.scalar?.value !== 'string') return undefined;
  const last = ctx.path[ctx.path.length - 1];
  const field = typeof last === 'number' ? ctx.path[ctx.path.length - 2] : last;
  if (field !== 'control-id' && field !== 'with-ids') return undefined;
  const id = ctx.scalar.value;
  const range = scalarRange(ctx);
  const catalog = catalogFor(ctx, ctx.path, env);
  const control = catalog?.controls.get(id);
  if (!catalog || !control || !range) return undefined;
  const root = { [ctx.analysis.root.model]: ctx.analysis.root.content };
  const own = setValues(root, ctx.path);
  const aliases = parameterIds(catalog);
  const lookup = (pid: string): OscalParam | undefined => {
    const found = findParam(catalog, pid);
    const param = found?.param as OscalParam | undefined;
    // A document may set a parameter by its own id or by its alt-identifier.
    const altIds = Array.isArray(param?.props) ? param.props.filter((p) => isRecord(p) && p.name === 'alt-identifier').map((p) => String(p.value)) : [];
    const values = own.get(pid) ?? altIds.map((a) => own.get(a)).find(Boolean);
    if (values && aliases.has(pid)) return { ...(param ?? { id: pid }), values } as OscalParam;
    return param;
  };
  const statement = renderStatement(control.control, lookup);
  const header = generic?.(id);
  const lines = header ? [header, '---'] : [`**${displayControlId(id)}** ${control.control.title}`];
  lines.push(`In ${catalog.title ? `"${catalog.title}"` : 'the imported catalog'}${own.size ? ', with the values this document sets' : ''}:`);
  if (statement) lines.push(statement);
  return { markdown: lines.join('\n\n'), range };
}
