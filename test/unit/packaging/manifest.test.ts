import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/corpus';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

test('every file the manifest points at exists', () => {
  const paths: string[] = [
    ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    ...manifest.contributes.snippets.map((s: { path: string }) => s.path),
    ...manifest.contributes.languages.filter((l: { configuration?: string }) => l.configuration).map((l: { configuration: string }) => l.configuration),
  ];
  for (const p of paths) assert.ok(existsSync(join(REPO_ROOT, p)), p);
  for (const p of paths.filter((x) => x.endsWith('.json') || x.endsWith('.code-snippets'))) {
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(REPO_ROOT, p), 'utf8')), p);
  }
});

test('every setting has a description and a default; every command a title', () => {
  for (const [key, prop] of Object.entries<Record<string, unknown>>(manifest.contributes.configuration.properties)) {
    assert.ok(prop.description || prop.markdownDescription, `${key} has no description`);
    assert.ok('default' in prop, `${key} has no default`);
  }
  for (const c of manifest.contributes.commands) assert.ok(c.title, c.command);
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('controlLens.allowRemoteCatalogs'));
});

test('the .vsix holds the bundles and declared assets, no sources, tests or node_modules', () => {
  const out = execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const files = out.split('\n').filter(Boolean);
  assert.ok(files.includes('dist/extension.js') && files.includes('dist/server.js') && files.includes('dist/cli.js'), out);
  for (const f of files) {
    assert.match(f, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(extension|server|server-main|cli)\.js|bin\/control-lens\.js|syntaxes\/.+|snippets\/.+|media\/.+|docs\/images\/.+\.png)$/, `unexpected file in the package: ${f}`);
  }
});
