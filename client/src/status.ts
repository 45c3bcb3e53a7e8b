import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';

/** A status-bar item that says whether the language server is running. */
export class ServerStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('controlLens.server', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Control Lens server';
    this.item.command = 'controlLens.showOutput';
    this.update(State.Starting);
    this.item.show();
  }

  update(state: State): void {
    if (state === State.Running) {
      this.item.text = '$(shield) Control Lens';
      this.item.tooltip = 'Control Lens language server is running. Click for its output.';
      this.item.backgroundColor = undefined;
    } else if (state === State.Starting) {
      this.item.text = '$(sync~spin) Control Lens';
      this.item.tooltip = 'Control Lens language server is starting.';
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(error) Control Lens';
      this.item.tooltip = 'Control Lens language server has stopped. Run "Control Lens: Restart Language Server".';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
