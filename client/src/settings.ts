import * as vscode from 'vscode';

/**
 * The `controlLens.*` settings the user actually set, nested as the server reads them. Defaults are left
 * out on purpose: a repository's `.control-lens.yaml` outranks built-in defaults, and only a value someone
 * chose should outrank the file. In an untrusted workspace, the workspace's own values of restricted
 * settings are ignored, as VS Code does for `get()`.
 */
export function explicitSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('controlLens', scope);
  const manifest = vscode.extensions.getExtension('control-lens.control-lens')?.packageJSON as
    | { contributes?: { configuration?: { properties?: Record<string, unknown> } }; capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } } }
    | undefined;
  const keys = Object.keys(manifest?.contributes?.configuration?.properties ?? {})
    .filter((k) => k.startsWith('controlLens.'))
    .map((k) => k.slice('controlLens.'.length));
  const restricted = new Set(manifest?.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const info = config.inspect(key);
    if (!info) continue;
    const trustedWorkspaceValues = vscode.workspace.isTrusted || !restricted.has(`controlLens.${key}`);
    const value = trustedWorkspaceValues ? (info.workspaceFolderValue ?? info.workspaceValue ?? info.globalValue) : info.globalValue;
    if (value === undefined) continue;
    const parts = key.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = value;
  }
  return out;
}
