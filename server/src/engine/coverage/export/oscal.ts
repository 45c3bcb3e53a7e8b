/**
 * Coverage as an OSCAL assessment-results document (OSCAL 1.1.3): one result whose reviewed controls are the
 * baseline's; a finding per control with its verdict; an observation per piece of evidence, pointing at the
 * file and line as relevant-evidence; each exception as a risk with its written reason. UUIDs are name-based
 * (version 5) so the same repository state gives the same document, apart from timestamps.
 */
import { createHash } from 'node:crypto';
import type { Evidence } from '../evidence';
import type { CoverageReport } from '../service';
import { STATUS_LABEL, type CoverageStatus } from '../status';
import type { FileNamer } from './json';

export const CONTROL_LENS_NS = 'https://control-lens.dev/ns/oscal';

export interface OscalExportOptions {
  fileOf: FileNamer;
  /** Timestamps of the document; defaults to now. */
  now?: Date;
  toolVersion?: string;
}

/** A version-5 (SHA-1, name-based) UUID. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`control-lens:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** OSCAL strings must not be empty or only whitespace. */
function text(s: string, fallback: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t || fallback;
}

const SATISFIED: Record<CoverageStatus, boolean> = { failing: false, excepted: false, validated: true, enforced: true, implemented: true, uncovered: false };

const METHOD: Record<Evidence['kind'], string> = { implemented: 'EXAMINE', policy: 'EXAMINE', pass: 'TEST', fail: 'TEST', exception: 'EXAMINE' };

const OBSERVATION_TYPE: Record<Evidence['kind'], string> = {
  implemented: 'control-objective',
  policy: 'control-objective',
  pass: 'control-objective',
  fail: 'finding',
  exception: 'finding',
};

function evidenceTitle(e: Evidence): string {
  switch (e.kind) {
    case 'implemented':
      return 'Implementation statement';
    case 'policy':
      return 'Policy mapped to the control';
    case 'pass':
      return 'Resource passes a check';
    case 'fail':
      return 'Resource fails a check';
    case 'exception':
      return 'Exception to a check';
  }
}

export function toAssessmentResults(report: CoverageReport, options: OscalExportOptions): { 'assessment-results': Record<string, unknown> } {
  const now = (options.now ?? new Date()).toISOString();
  const seed = `${report.baseline.name}|${report.root ?? ''}`;
  const observationOf = new Map<Evidence, string>();
  const observations: Record<string, unknown>[] = [];
  const risks: Record<string, unknown>[] = [];
  const riskOf = new Map<Evidence, string>();
  const findings: Record<string, unknown>[] = [];

  const observe = (e: Evidence): string => {
    const known = observationOf.get(e);
    if (known) return known;
    const file = options.fileOf(e.uri);
    const line = e.range.start.line + 1;
    const uuid = nameUuid(`${seed}|obs|${e.kind}|${e.check ?? ''}|${e.uri}|${e.range.start.line}:${e.range.start.character}|${e.detail}`);
    observationOf.set(e, uuid);
    observations.push({
      uuid,
      title: evidenceTitle(e),
      description: text(e.detail, evidenceTitle(e)),
      props: [
        { name: 'evidence-kind', ns: CONTROL_LENS_NS, value: e.kind },
        ...(e.check ? [{ name: 'check', ns: CONTROL_LENS_NS, value: e.check }] : []),
      ],
      methods: [METHOD[e.kind]],
      types: [OBSERVATION_TYPE[e.kind]],
      collected: now,
      'relevant-evidence': [{ href: `${encodeURI(file)}#L${line}`, description: `${file}, line ${line}` }],
    });
    return uuid;
  };

  const risk = (e: Evidence, control: string): string => {
    const known = riskOf.get(e);
    if (known) return known;
    const uuid = nameUuid(`${seed}|risk|${e.check ?? ''}|${e.uri}|${e.range.start.line}|${e.detail}`);
    riskOf.set(e, uuid);
    risks.push({
      uuid,
      title: text(`Exception: ${e.check ?? 'check'} (${control})`, 'Exception'),
      description: text(e.detail, 'An exception recorded in the repository.'),
      statement: text(`A finding of ${e.check ?? 'a check'} is suppressed in ${options.fileOf(e.uri)} with a written reason; the control's check does not apply to this resource until the exception is withdrawn.`, 'Exception'),
      status: 'deviation-requested',
      'related-observations': [{ 'observation-uuid': observe(e) }],
    });
    return uuid;
  };

  for (const c of report.controls) {
    const evidence = c.evidence ?? [];
    const relatedObservations = evidence.map((e) => ({ 'observation-uuid': observe(e) }));
    const relatedRisks = evidence.filter((e) => e.kind === 'exception').map((e) => ({ 'risk-uuid': risk(e, c.display) }));
    findings.push({
      uuid: nameUuid(`${seed}|finding|${c.id}`),
      title: text(`${c.display}${c.title ? ` ${c.title}` : ''}: ${STATUS_LABEL[c.status]}`, c.display),
      description: text(c.description ? `${STATUS_LABEL[c.status]}: ${c.description}.` : `${STATUS_LABEL[c.status]}: no evidence in the repository.`, STATUS_LABEL[c.status]),
      props: [{ name: 'coverage-status', ns: CONTROL_LENS_NS, value: c.status }],
      target: {
        type: 'statement-id',
        'target-id': `${c.id}_smt`,
        status: { state: SATISFIED[c.status] ? 'satisfied' : 'not-satisfied', ...(c.status === 'failing' ? { reason: 'fail' } : c.status === 'validated' ? { reason: 'pass' } : { reason: 'other' }) },
      },
      ...(relatedObservations.length ? { 'related-observations': relatedObservations } : {}),
      ...(relatedRisks.length ? { 'related-risks': relatedRisks } : {}),
    });
  }

  const planResource = nameUuid(`${seed}|plan`);
  const result: Record<string, unknown> = {
    uuid: nameUuid(`${seed}|result`),
    title: text(`Control coverage: ${report.baseline.title}`, 'Control coverage'),
    description: text(
      `Automated coverage of ${report.totals.total} controls by Control Lens: ${report.totals.covered} have evidence (${report.totals.percent}%), ${report.totals.byStatus.failing} failing, ${report.totals.byStatus.excepted} excepted.`,
      'Automated control coverage.',
    ),
    start: now,
    end: now,
    'reviewed-controls': {
      'control-selections': [report.controls.length ? { 'include-controls': report.controls.map((c) => ({ 'control-id': c.id })) } : { 'include-all': {} }],
    },
    ...(observations.length ? { observations } : {}),
    ...(risks.length ? { risks } : {}),
    ...(findings.length ? { findings } : {}),
  };

  return {
    'assessment-results': {
      uuid: nameUuid(`${seed}|assessment-results|${now}`),
      metadata: {
        title: text(`Control coverage for ${report.baseline.title}`, 'Control coverage'),
        'last-modified': now,
        version: options.toolVersion ?? '1',
        'oscal-version': '1.1.3',
        props: [{ name: 'tool', ns: CONTROL_LENS_NS, value: 'control-lens' }],
      },
      'import-ap': { href: `#${planResource}` },
      results: [result],
      'back-matter': {
        resources: [
          {
            uuid: planResource,
            title: 'No assessment plan',
            description: text(
              `This assessment was run by Control Lens over the files of a repository, against the baseline ${report.baseline.name}; there is no separate assessment plan.`,
              'Automated assessment without a separate plan.',
            ),
          },
        ],
      },
    },
  };
}
