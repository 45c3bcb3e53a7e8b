/** Markdown for hovering a control id. */
import type { ControlInfo } from './registry';

/** Titles come from workspace files: keep them from being read as markdown or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>&|~]/g, '\\$&');
}

function basename(uri: string): string {
  const clean = uri.replace(/[?#].*$/, '');
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || uri;
  } catch {
    return name || uri;
  }
}

export function formatControlHover(info: ControlInfo): string {
  const lines: string[] = [];
  const withdrawn = info.withdrawn ? ' _(withdrawn)_' : '';
  lines.push(`**${escapeMarkdown(info.display)}** ${escapeMarkdown(info.title)}${withdrawn}`, '');
  const family = info.familyTitle ? `${escapeMarkdown(info.familyTitle)} (${escapeMarkdown(info.family.toUpperCase())})` : escapeMarkdown(info.family.toUpperCase());
  const baselines = info.baselines.length ? `baselines: ${info.baselines.join(', ')}` : 'in no NIST rev5 baseline';
  lines.push(`${family} · ${baselines}`);
  if (info.statement) lines.push('', '---', '', info.statement);
  const src = info.source;
  if (src.kind === 'builtin') {
    lines.push('', `_${escapeMarkdown(src.name)} ${escapeMarkdown(src.version)}, built-in index: load a catalog for the statement_`);
  } else {
    const via = src.profile ? ` via ${escapeMarkdown(basename(src.profile))}` : '';
    const title = src.catalogTitle ? `${escapeMarkdown(src.catalogTitle)}, ` : '';
    lines.push('', `_${title}${escapeMarkdown(basename(src.uri))}${via}_`);
  }
  return lines.join('\n');
}
