import * as vscode from 'vscode';

export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/** A small command registry, as in VS Code's markdown extension. */
export class CommandManager implements vscode.Disposable {
  private readonly commands = new Map<string, vscode.Disposable>();

  register<T extends Command>(command: T): T {
    if (!this.commands.has(command.id)) {
      this.commands.set(
        command.id,
        vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.execute(...args)),
      );
    }
    return command;
  }

  dispose(): void {
    for (const registration of this.commands.values()) registration.dispose();
    this.commands.clear();
  }
}
