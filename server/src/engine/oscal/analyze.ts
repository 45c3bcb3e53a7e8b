import type { CatalogModel } from '../controls/catalog';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { rangeOfPath, type JsonPath } from '../documents/paths';
import { insertIntoMap, removePair } from '../fixes/yamlEdits';
import type { Finding, Fix, TextEdit } from '../types';
import { oscalRoot, type OscalRoot } from './detect';
import { appendItemsEdit, freshUuid, insertFieldEdit, removeFieldEdit, replaceValueEdit, skeletonOf } from './edits';
import type { FixHint, OscalIssue } from './issues';
import { chooseModelVersion, modelFor, type OscalModel } from './model/model';
import { dedupeOfficial, officialIssues, type OfficialSchemas } from './official';
import { checkAssessmentControls, checkControlIdForms, checkControls, checkInsertions, controlSources, ownParameterIds, parameterIds, type ControlSource } from './semantic/controls';
import { indexDefinitions, mergeDefinitions, type DefinitionIndex } from './semantic/definitions';
import { checkDuplicateUuids, checkReferences, findReferences } from './semantic/references';
import { checkStructure, type StructureIssue } from './structure';
import { appendAll } from '../arrays';

/** What the OSCAL checks may ask of the world around the document; every part is optional. */
export interface OscalEnvironment {
  /**
   * The controls that a control source brings into play (a catalog, or a profile resolved to one), as the
   * controls engine loads them. Undefined when unknown: control checks for that source are then skipped.
   */
  controls?(source: ControlSource, from: { uri: string; backMatter: unknown }): CatalogModel | undefined;
  /** An imported document (`import-ssp`, `import-ap`) as a plain value, for references into it. */
  loadDocument?(href: string, from: { uri: string; backMatter: unknown }): { uri: string; value: unknown } | undefined;
  /** The official NIST JSON schemas, for exact conformance (findings the built-in checks miss). */
  officialSchemas?: OfficialSchemas;
  /**
   * Set when profile resolution reports a profile's selections and parameter settings itself (the engine's
   * catalog-resolution analyser does): the profile control checks here are then skipped, not repeated.
   */
  profilesResolvedElsewhere?: boolean;
  now?(): Date;
}

const STRUCTURE_CODES: Record<StructureIssue['problem'], string> = {
  required: 'oscal.missing-field',
  'unknown-field': 'oscal.unknown-field',
  type: 'oscal.wrong-type',
  format: 'oscal.bad-format',
  'allowed-values': 'oscal.not-allowed',
  'empty-list': 'oscal.empty-list',
  form: 'oscal.conflicting-fields',
};

/** Everything the checks learnt about one OSCAL document; editor features reuse it. */
export interface OscalDocumentAnalysis {
  root: OscalRoot;
  rootPath: JsonPath;
  model: OscalModel;
  oscalVersion?: string;
  supportedVersion: boolean;
  definitions: DefinitionIndex;
  issues: OscalIssue[];
}

function structureToIssue(s: StructureIssue): OscalIssue {
  const fixes: FixHint[] = [];
  const last = s.path[s.path.length - 1];
  if (s.problem === 'required' && s.field) fixes.push({ kind: 'add-field', title: `Add \`${s.field}\``, field: s.field });
  if ((s.problem === 'format' || s.problem === 'type') && last === 'uuid') fixes.push({ kind: 'fresh-uuid', title: 'Replace with a fresh uuid' });
  if (s.problem === 'unknown-field') {
    const near = /did you mean `([^`]+)`/.exec(s.message)?.[1];
    if (near) fixes.push({ kind: 'replace-value', title: `Rename to \`${near}\``, value: near, preferred: true });
    fixes.push({ kind: 'remove-field', title: `Remove \`${String(last)}\`` });
  }
  return { code: STRUCTURE_CODES[s.problem], severity: 'error', path: s.path, part: s.part, message: s.message, fixes };
}

function metadataOf(content: Record<string, unknown>): Record<string, unknown> | undefined {
  const m = content.metadata;
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
}

/** Runs every OSCAL check over one parsed document; undefined when the document is not OSCAL. */
export function analyzeOscalValue(value: unknown, uri: string, env: OscalEnvironment = {}): OscalDocumentAnalysis | undefined {
  const root = oscalRoot(value);
  if (!root) return undefined;
  const rootPath: JsonPath = [root.model];
  const issues: OscalIssue[] = [];
  const metadata = metadataOf(root.content);
  const oscalVersion = metadata?.['oscal-version'];
  const choice = chooseModelVersion(oscalVersion);
  const model = modelFor(choice.model);

  for (const k of root.extraKeys) {
    issues.push({ code: 'oscal.unknown-field', severity: 'error', path: [k], part: 'key', message: `An OSCAL document has only \`${root.model}\` (and \`$schema\`) at the top; \`${k}\` is not allowed`, fixes: [{ kind: 'remove-field', title: `Remove \`${k}\`` }] });
  }
  if (!choice.supported) {
    issues.push({
      code: 'oscal.unsupported-version',
      severity: 'warning',
      path: [...rootPath, 'metadata', 'oscal-version'],
      part: 'value',
      message: `OSCAL version \`${String(oscalVersion)}\` is not supported (1.0.x to 1.2.x are); the document was checked against the ${choice.model} model`,
    });
  }
  if (!root.model || !model.rootType(root.model)) {
    issues.push({ code: 'oscal.unsupported-model', severity: 'warning', path: rootPath, part: 'key', message: `\`${root.model}\` is not part of OSCAL ${choice.model}; it was not checked` });
  }

  const structure = checkStructure(model, root.model, root.content, rootPath).map(structureToIssue);
  appendAll(issues, structure);

  const definitions = indexDefinitions(root.content, rootPath);
  const ctx: CheckContext = { root, rootPath, uri, env, backMatter: root.content['back-matter'], issues };
  const unknowable = checkAssessmentImports(ctx, definitions);
  const references = findReferences(root.content, rootPath);
  appendAll(issues, checkDuplicateUuids(definitions, references));
  // Profile resolution reports imports that lead nowhere; say it once.
  const importHref = (p: JsonPath): boolean => root.model === 'profile' && p[1] === 'imports' && p[3] === 'href' && p.length === 4;
  const referenceSites = env.profilesResolvedElsewhere ? references.filter((r) => !importHref(r.path)) : references;
  // A reference that is not even a uuid already has its finding from the structure check.
  const malformed = new Set(structure.map((i) => JSON.stringify(i.path)));
  const checkable = referenceSites.filter((r) => !malformed.has(JSON.stringify(r.path)));
  appendAll(issues, checkReferences(definitions, checkable, { unknowableKinds: unknowable, undefinedRoleSeverity: root.model === 'component-definition' ? 'warning' : 'error' }));
  checkControlReferences(ctx);
  checkControlIdFormsOnce(ctx);
  if (env.officialSchemas) checkOfficial(ctx, env.officialSchemas, value, oscalVersion, structure);
  return { root, rootPath, model, oscalVersion: typeof oscalVersion === 'string' ? oscalVersion : undefined, supportedVersion: choice.supported, definitions, issues };
}

interface CheckContext {
  root: OscalRoot;
  rootPath: JsonPath;
  uri: string;
  env: OscalEnvironment;
  backMatter: unknown;
  issues: OscalIssue[];
}

/**
 * Assessment documents (AP, AR, POA&M) refer into the SSP they import (through the AP, for results): its
 * definitions join the index, and its profile's controls check theirs. Returns the kinds of definition
 * that may live in an import that could not be read.
 */
function checkAssessmentImports(ctx: CheckContext, definitions: DefinitionIndex): Set<string> {
  const { root, env } = ctx;
  const unknowable = new Set<string>();
  const importKey = root.model === 'assessment-results' ? 'import-ap' : root.model === 'assessment-plan' || root.model === 'plan-of-action-and-milestones' ? 'import-ssp' : undefined;
  if (!importKey) return unknowable;
  const imported = loadChain(root.content, importKey, ctx.uri, ctx.backMatter, env);
  if (imported.complete) for (const d of imported.indexes) mergeDefinitions(definitions, d);
  else for (const k of ['party', 'role', 'location', 'component', 'user', 'inventory-item', 'resource', 'task', 'activity', 'assessment-platform']) unknowable.add(k);
  const ssp = imported.ssp;
  const profile = ssp?.content['import-profile'] as { href?: unknown } | undefined;
  if (ssp && env.controls && typeof profile?.href === 'string') {
    const source: ControlSource = { href: profile.href, path: ['system-security-plan', 'import-profile', 'href'], scope: [], kind: 'import-profile' };
    const catalog = env.controls(source, { uri: ssp.uri, backMatter: ssp.content['back-matter'] });
    if (catalog) appendAll(ctx.issues, checkAssessmentControls(root.content, ctx.rootPath, catalog));
  }
  return unknowable;
}

/** Control, statement and parameter ids, and parameter insertions, against the controls in play. */
function checkControlReferences(ctx: CheckContext): void {
  const { root, rootPath, env, uri, backMatter, issues } = ctx;
  if (env.controls && !(root.model === 'profile' && env.profilesResolvedElsewhere)) {
    const lookup = env.controls.bind(env);
    appendAll(issues, checkControls(root.model, root.content, rootPath, (s) => lookup(s, { uri, backMatter })));
  }
  if (root.model === 'catalog') {
    appendAll(issues, checkInsertions('catalog', root.content, rootPath, ownParameterIds(root.content)));
  } else if ((root.model === 'system-security-plan' || root.model === 'component-definition') && env.controls) {
    // Insertions are checked only when every source's controls are known (one id set for the document).
    const known = new Set<string>();
    let whole = true;
    for (const s of controlSources(root.model, root.content, rootPath)) {
      const c = env.controls(s, { uri, backMatter });
      if (!c || c.controls.size === 0) whole = false;
      else for (const id of parameterIds(c)) known.add(id);
    }
    if (whole && known.size) appendAll(issues, checkInsertions(root.model, root.content, rootPath, known));
  }
}

/** A non-OSCAL form of a control id is said once, by the most telling finding at that place. */
function checkControlIdFormsOnce(ctx: CheckContext): void {
  const { issues } = ctx;
  const taken = new Set(issues.map((i) => JSON.stringify(i.path)));
  for (const form of checkControlIdForms(ctx.root.content, ctx.rootPath)) {
    const key = JSON.stringify(form.path);
    const there = issues.find((i) => JSON.stringify(i.path) === key && i.code === 'oscal.bad-format');
    if (there) there.fixes = [...(form.fixes ?? []), ...(there.fixes ?? [])];
    else if (!taken.has(key)) issues.push(form);
  }
}

/** The official schema's verdict: what the built-in checks did not already say, or why there is none. */
function checkOfficial(ctx: CheckContext, schemas: OfficialSchemas, value: unknown, oscalVersion: unknown, structure: OscalIssue[]): void {
  const version = typeof oscalVersion === 'string' ? oscalVersion : undefined;
  const v = schemas.validatorFor(ctx.root.model, version);
  if (v) {
    appendAll(ctx.issues, dedupeOfficial(officialIssues(v.validate, value), structure));
    return;
  }
  const where = schemas.describe?.();
  const has = where ? ` in ${where.location}${where.versions.length ? ` (it has ${where.versions.join(', ')})` : ' (no OSCAL schemas found there)'}` : '';
  ctx.issues.push({
    code: 'oscal.schema-unavailable',
    severity: 'information',
    path: version ? [...ctx.rootPath, 'metadata', 'oscal-version'] : ctx.rootPath,
    part: version ? 'value' : 'key',
    message: `No official schema for ${ctx.root.model} ${version ?? '(no oscal-version)'}${has}; checked with the built-in model only`,
  });
}

interface LoadedChain {
  complete: boolean;
  indexes: DefinitionIndex[];
  /** The SSP at the end of the chain, when it could be read. */
  ssp?: { uri: string; content: Record<string, unknown> };
}

function loadChain(content: Record<string, unknown>, key: string, uri: string, backMatter: unknown, env: OscalEnvironment): LoadedChain {
  const indexes: DefinitionIndex[] = [];
  let ssp: LoadedChain['ssp'];
  let cur = content;
  let curKey: string | undefined = key;
  let curUri = uri;
  let curBack = backMatter;
  for (let depth = 0; curKey && depth < 3; depth++) {
    const imp = cur[curKey] as { href?: unknown } | undefined;
    if (!imp || typeof imp.href !== 'string' || !env.loadDocument) return { complete: false, indexes, ssp };
    const loaded = env.loadDocument(imp.href, { uri: curUri, backMatter: curBack });
    const r = loaded ? oscalRoot(loaded.value) : undefined;
    if (!loaded || !r) return { complete: false, indexes, ssp };
    indexes.push(indexDefinitions(r.content, [r.model], loaded.uri));
    if (r.model === 'system-security-plan') ssp = { uri: loaded.uri, content: r.content };
    cur = r.content;
    curUri = loaded.uri;
    curBack = r.content['back-matter'];
    curKey = r.model === 'assessment-plan' ? 'import-ssp' : undefined;
  }
  return { complete: true, indexes, ssp };
}

/** Turns an issue's fix hints into text edits on the document. */
export function fixesFor(file: ParsedFile, doc: ParsedDocument, issue: OscalIssue, model: OscalModel, now: Date): Fix[] {
  const out: Fix[] = [];
  for (const h of issue.fixes ?? []) {
    let edit: TextEdit | undefined;
    switch (h.kind) {
      case 'replace-value':
        edit = issue.part === 'key' ? renameKeyEdit(file, doc, issue.path, h.value) : replaceValueEdit(file, doc, issue.path, h.value);
        break;
      case 'fresh-uuid':
        edit = replaceValueEdit(file, doc, issue.path, freshUuid());
        break;
      case 'add-field': {
        const t = model.typeAt(String(issue.path[0]), [...issue.path.slice(1), h.field]);
        const value = t ? skeletonOf(model, t, now) : 'TODO';
        // YAML: the shared helpers know the document's indentation habits; JSON: ours keep its line layout.
        const shared = file.format === 'yaml' ? insertIntoMap({ file, doc }, issue.path, { [h.field]: value }) : [];
        edit = shared.length === 1 ? shared[0] : insertFieldEdit(file, doc, issue.path, h.field, value);
        break;
      }
      case 'remove-field': {
        const shared = file.format === 'yaml' ? removePair({ file, doc }, issue.path) : [];
        edit = shared.length === 1 ? shared[0] : removeFieldEdit(file, doc, issue.path);
        break;
      }
      case 'add-requirements':
        edit = appendItemsEdit(
          file,
          doc,
          issue.path,
          h.controlIds.map((id) => ({ uuid: freshUuid(), 'control-id': id, ...(h.withDescription ? { description: 'TODO' } : {}) })),
        );
        break;
    }
    if (edit) {
      out.push({
        title: h.title,
        edits: [edit],
        kind: 'quickfix',
        ...(h.kind === 'replace-value' && h.preferred ? { isPreferred: true } : {}),
        ...(h.kind === 'replace-value' && h.safe ? { safe: true } : {}),
      });
    }
  }
  return out;
}

function renameKeyEdit(file: ParsedFile, doc: ParsedDocument, path: JsonPath, name: string): TextEdit | undefined {
  const range = rangeOfPath(file, doc, path, 'key');
  const text = file.text.slice(file.lines.offsetAt(range.start), file.lines.offsetAt(range.end));
  const quoted = /^["']/.test(text) || file.format === 'json';
  return { range, newText: quoted ? JSON.stringify(name) : name };
}

export const QUOTE_HINT = ' (quote it in YAML)';

export interface OscalFileAnalysis {
  findings: Finding[];
  documents: Map<number, OscalDocumentAnalysis>;
}

const analysisCache = new WeakMap<ParsedDocument, OscalDocumentAnalysis | null>();

/**
 * The analysis of a parsed document, computed once: parsing keeps unchanged documents, so an editor's
 * hovers and completions after the diagnostics reuse the diagnostics' work.
 */
export function cachedAnalysis(doc: ParsedDocument, uri: string, env: OscalEnvironment = {}): OscalDocumentAnalysis | undefined {
  let a = analysisCache.get(doc);
  if (a === undefined) {
    a = analyzeOscalValue(doc.value, uri, env) ?? null;
    analysisCache.set(doc, a);
  }
  return a ?? undefined;
}

/** All OSCAL findings of a parsed file (each YAML document on its own). */
export function analyzeOscalFile(file: ParsedFile, env: OscalEnvironment = {}): OscalFileAnalysis {
  const findings: Finding[] = [];
  const documents = new Map<number, OscalDocumentAnalysis>();
  const now = env.now?.() ?? new Date();
  for (const doc of file.documents) {
    const analysis = analyzeOscalValue(doc.value, file.uri, env);
    analysisCache.set(doc, analysis ?? null);
    if (!analysis) continue;
    documents.set(doc.index, analysis);
    for (const issue of analysis.issues) {
      const fixes = fixesFor(file, doc, issue, analysis.model, now);
      findings.push({
        range: rangeOfPath(file, doc, issue.path, issue.part),
        severity: issue.severity,
        code: issue.code,
        // The hint about quoting is for YAML, where `1.0` or `yes` is not text unless quoted.
        message: file.format === 'yaml' ? issue.message : issue.message.replace(QUOTE_HINT, ''),
        controls: issue.controls ?? [],
        source: 'oscal',
        resource: { kind: analysis.root.model, document: doc.index },
        ...(fixes.length ? { fixes } : {}),
      });
    }
  }
  return { findings, documents };
}
