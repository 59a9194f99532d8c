/**
 * The deadlines of one verify pass, with one timer for them all. Every reference of a pass gets the same time, and
 * references start one after another, so their deadlines fall in the order they were added: the timer only ever
 * waits for the oldest one still pending. A reference that ends first is marked and skipped when the timer fires.
 *
 * A timer per reference cost ~14 µs each (a timer list made and dropped for each one), as much as the rest of the
 * engine and the verifier together; this costs an array push.
 */
export interface Deadline {
  /** The reference ended before its deadline: nothing fires for it. */
  cancel(): void;
}

interface Entry extends Deadline {
  readonly at: number;
  readonly onExpire: () => void;
  live: boolean;
}

export class DeadlineQueue {
  private entries: Entry[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  /** `onExpire` runs once `ms` have passed, unless the returned deadline is cancelled first. */
  add(onExpire: () => void): Deadline {
    const entry: Entry = {
      at: performance.now() + this.ms,
      onExpire,
      live: true,
      cancel() {
        this.live = false;
      },
    };
    this.entries.push(entry);
    if (this.timer === undefined) this.arm();
    return entry;
  }

  /** Stops the timer; pending deadlines no longer fire (the pass is over). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.entries = [];
    this.head = 0;
  }

  private arm(): void {
    while (this.head < this.entries.length && !this.entries[this.head].live) this.head++;
    if (this.head === this.entries.length) {
      // Nothing pending: drop the ended entries, and arm again on the next add.
      this.entries = [];
      this.head = 0;
      this.timer = undefined;
      return;
    }
    if (this.head > 1024) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(this.entries[this.head].at - performance.now())));
  }

  private fire(): void {
    const now = performance.now();
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head];
      if (entry.live && entry.at > now) break;
      this.head++;
      if (entry.live) {
        entry.live = false;
        entry.onExpire();
      }
    }
    this.arm();
  }
}
