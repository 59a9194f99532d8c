/** Environment variables for a test suite: set (undefined deletes), then restore every one that was touched. */
export class EnvOverride {
  private readonly saved = new Map<string, string | undefined>();

  set(vars: Readonly<Record<string, string | undefined>>): void {
    for (const [k, v] of Object.entries(vars)) {
      if (!this.saved.has(k)) this.saved.set(k, process.env[k]);
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  restore(): void {
    for (const [k, v] of this.saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.saved.clear();
  }
}
