import * as vscode from 'vscode';

/** Owns disposables and releases them once, in reverse order (as in VS Code's markdown extension). */
export abstract class Disposable {
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.disposables.length) {
      try {
        this.disposables.pop()!.dispose();
      } catch {
        // keep disposing the rest
      }
    }
  }

  protected register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }
}
