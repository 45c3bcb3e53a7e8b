import type { ControlDirectory } from '../analysis';
import { displayControlId, parseControlId } from './ids';

/** NIST SP 800-53 rev5 control families: facts used when no catalog at all is loaded. */
export const SP800_53_FAMILIES: Record<string, string> = {
  ac: 'Access Control',
  at: 'Awareness and Training',
  au: 'Audit and Accountability',
  ca: 'Assessment, Authorization, and Monitoring',
  cm: 'Configuration Management',
  cp: 'Contingency Planning',
  ia: 'Identification and Authentication',
  ir: 'Incident Response',
  ma: 'Maintenance',
  mp: 'Media Protection',
  pe: 'Physical and Environmental Protection',
  pl: 'Planning',
  pm: 'Program Management',
  ps: 'Personnel Security',
  pt: 'PII Processing and Transparency',
  ra: 'Risk Assessment',
  sa: 'System and Services Acquisition',
  sc: 'System and Communications Protection',
  si: 'System and Information Integrity',
  sr: 'Supply Chain Risk Management',
};

/** Knows the families and the shape of ids only; the built-in index and loaded catalogs add titles. */
export const familyOnlyDirectory: ControlDirectory = {
  lookup(id) {
    const c = parseControlId(id);
    if (!c || !SP800_53_FAMILIES[c.family]) return undefined;
    return { id: c.id, display: displayControlId(c.id), family: c.family, familyTitle: SP800_53_FAMILIES[c.family], baselines: [] };
  },
  isKnownFamily: (f) => f in SP800_53_FAMILIES,
  hover(id) {
    const s = this.lookup(id);
    return s ? `**${s.display}** · ${s.familyTitle}` : undefined;
  },
};
