import type { RuleHelp } from '../analysis';

/** What each OSCAL finding code means, for SARIF rule metadata and documentation. */
export const OSCAL_RULES: Record<string, RuleHelp> = {
  'oscal.missing-field': { title: 'A required OSCAL field is missing', help: 'The OSCAL model requires this field here. The quick fix inserts a skeleton to fill in.' },
  'oscal.unknown-field': { title: 'A field the OSCAL model does not define', help: 'OSCAL objects allow only the fields of their model; tools reject others. Check the spelling, or move extra data into a `prop`.' },
  'oscal.wrong-type': { title: 'A value of the wrong type', help: 'The model expects another JSON type here (text, number, list or object). In YAML, quote values such as `1.0` that should be text.' },
  'oscal.bad-format': { title: 'A value not in the form of its datatype', help: 'uuids, tokens, dates with time zones and URIs have fixed forms in OSCAL.' },
  'oscal.not-allowed': { title: 'A value outside the allowed values', help: 'This field takes one value of a fixed list.' },
  'oscal.empty-list': { title: 'An empty list', help: 'OSCAL lists hold at least one item; leave the field out instead.' },
  'oscal.conflicting-fields': { title: 'Fields that cannot be used together', help: 'The object has several forms (such as `include-all` or `include-controls`); keep the fields of one.' },
  'oscal.schema': { title: 'Rejected by the official NIST OSCAL schema', help: 'The official JSON schema (configured by `oscalSchemaPath`) reports a problem the built-in checks do not.' },
  'oscal.schema-unavailable': { title: 'No official schema for this document', help: 'The folder named by `oscalSchemaPath` has no schema for this OSCAL version or model; the built-in checks still apply.' },
  'oscal.unsupported-version': { title: 'An OSCAL version the checks do not know', help: 'Control Lens checks OSCAL 1.0.x to 1.2.x; other versions are checked against the newest model it knows.' },
  'oscal.unsupported-model': { title: 'An OSCAL model this version does not have' },
  'oscal.duplicate-uuid': { title: 'A uuid used twice', help: 'Each object needs its own uuid; references to a duplicated one are ambiguous. The quick fix gives the copy a fresh uuid.' },
  'oscal.unresolved-reference': { title: 'A reference to nothing', help: 'The uuid or role id is not defined in this document (or the document it imports).' },
  'oscal.unknown-control': { title: 'A control id that the imported catalog or profile does not have', help: 'Use the OSCAL form (`ac-2.1`) of a control that the source selects.' },
  'oscal.control-id-form': { title: 'A control id in NIST print form instead of OSCAL form', help: 'OSCAL ids are case-sensitive: write `ac-2.1`, not `AC-2(1)`. The quick fix rewrites it.' },
  'oscal.unknown-statement': { title: 'A statement id that the control does not have' },
  'oscal.unknown-parameter': { title: 'A parameter id that the imported controls do not have' },
  'oscal.uncovered-controls': { title: 'Controls of the baseline without an implemented requirement', help: 'The profile the document imports selects controls that it does not describe yet. The quick fix adds an implemented requirement for each.' },
  'oscal.duplicate-requirement': { title: 'A control implemented twice in one place', help: 'Give each control one implemented requirement; detail goes into its statements and by-components.' },
};
