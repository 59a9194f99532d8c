/**
 * Values made at most once per `ttlMs` for each key, shared by the callers that ask meanwhile (a completion list asked
 * on every keystroke calls AWS once a minute). A make that fails is not kept: the next call tries again (after
 * `aws sso login`, a fixed profile).
 */
export class TtlMemo<V> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, make: () => Promise<V>): Promise<V> {
    const kept = this.entries.get(key);
    if (kept && this.now() - kept.at < this.ttlMs) return kept.value;
    const value = make();
    const entry = { at: this.now(), value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }
}
