import {
  CompletionItemKind,
  DiagnosticSeverity,
  InlayHintKind,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type InlayHint,
} from 'vscode-languageserver/node';
import type { CompletionAnswer, HoverAnswer, InlayHintAnswer, SymbolAnswer, SymbolKindName } from '../engine/analysis';
import { displayControlId } from '../engine/controls/ids';
import type { Finding, Severity } from '../engine/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  const controls = f.controls.length ? ` [${f.controls.map(displayControlId).join(', ')}]` : '';
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'control-lens',
    message: f.message + controls,
    data: { controls: f.controls },
  };
}

export function toHover(h: HoverAnswer): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range };
}

const COMPLETION_KIND: Record<CompletionAnswer['kind'], CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  control: CompletionItemKind.Reference,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
  function: CompletionItemKind.Function,
};

export function toCompletion(c: CompletionAnswer): CompletionItem {
  const text = c.insertText ?? c.label;
  return {
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    insertTextFormat: c.snippet ? 2 : 1,
    ...(c.range ? { textEdit: { range: c.range, newText: text } } : { insertText: text }),
    sortText: c.sortText,
    filterText: c.filterText,
  };
}

const SYMBOL_KIND: Record<SymbolKindName, SymbolKind> = {
  file: SymbolKind.File,
  module: SymbolKind.Module,
  namespace: SymbolKind.Namespace,
  package: SymbolKind.Package,
  class: SymbolKind.Class,
  method: SymbolKind.Method,
  property: SymbolKind.Property,
  field: SymbolKind.Field,
  function: SymbolKind.Function,
  variable: SymbolKind.Variable,
  constant: SymbolKind.Constant,
  string: SymbolKind.String,
  object: SymbolKind.Object,
  key: SymbolKind.Key,
  event: SymbolKind.Event,
  struct: SymbolKind.Struct,
};

export function toSymbol(s: SymbolAnswer): DocumentSymbol {
  return {
    name: s.name || '(unnamed)',
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children?.map(toSymbol),
  };
}

export function toInlayHint(h: InlayHintAnswer): InlayHint {
  return { position: h.position, label: h.label, tooltip: h.tooltip, kind: InlayHintKind.Type, paddingLeft: true };
}
