import { classify, kubeObjects, type Classification, type DocumentFamily, type KubeObject } from '../documents/classify';
import type { ParsedDocument, ParsedFile } from '../documents/parse';

export interface IndexedDocument {
  doc: ParsedDocument;
  classification: Classification;
  /** Kubernetes objects (policies included) in the document; empty for OSCAL and unrecognised documents. */
  objects: KubeObject[];
}

export interface IndexedFile {
  file: ParsedFile;
  documents: IndexedDocument[];
  families: Set<DocumentFamily>;
}

export function indexFile(file: ParsedFile): IndexedFile {
  const families = new Set<DocumentFamily>();
  const documents = file.documents.map((doc) => {
    const classification = classify(doc.value);
    const objects = kubeObjects(doc.value);
    if (classification.family !== 'none') families.add(classification.family);
    for (const o of objects) families.add(o.classification.family);
    return { doc, classification, objects };
  });
  if (file.format === 'rego') families.add('gatekeeper');
  return { file, documents, families };
}

/**
 * Every file the engine knows, classified once per version. Derived views (namespaces' pod security levels,
 * the workspace's policies, catalogs) are memoised per family generation, so an edit to a manifest does not
 * recompute what only policies determine.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly generations = new Map<DocumentFamily, number>();
  private readonly memos = new Map<string, { stamp: string; value: unknown }>();

  upsert(file: ParsedFile): IndexedFile {
    const previous = this.files.get(file.uri);
    if (previous && previous.file === file) return previous;
    const indexed = indexFile(file);
    this.files.set(file.uri, indexed);
    this.bump(previous?.families, indexed.families);
    return indexed;
  }

  remove(uri: string): void {
    const previous = this.files.get(uri);
    if (!previous) return;
    this.files.delete(uri);
    this.bump(previous.families, new Set());
  }

  get(uri: string): IndexedFile | undefined {
    return this.files.get(uri);
  }

  has(uri: string): boolean {
    return this.files.has(uri);
  }

  get size(): number {
    return this.files.size;
  }

  all(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /** Every document of a family across the workspace, with its file. */
  *documentsOf(family: DocumentFamily): Generator<{ file: ParsedFile; entry: IndexedDocument }> {
    for (const f of this.files.values()) {
      if (!f.families.has(family)) continue;
      for (const entry of f.documents) {
        if (entry.classification.family === family || entry.objects.some((o) => o.classification.family === family)) {
          yield { file: f.file, entry };
        }
      }
    }
  }

  generation(family: DocumentFamily): number {
    return this.generations.get(family) ?? 0;
  }

  /** A value derived from the documents of `families`, recomputed only when one of them changed. */
  memo<T>(key: string, families: DocumentFamily[], compute: () => T): T {
    const stamp = families.map((f) => this.generation(f)).join(',');
    const hit = this.memos.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = compute();
    this.memos.set(key, { stamp, value });
    return value;
  }

  private bump(before: Set<DocumentFamily> | undefined, after: Set<DocumentFamily>): void {
    const touched = new Set<DocumentFamily>([...(before ?? []), ...after]);
    for (const f of touched) this.generations.set(f, this.generation(f) + 1);
  }
}
