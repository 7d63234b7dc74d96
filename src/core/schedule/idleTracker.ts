/**
 * Counts work in flight (scheduled timers and running analyses) so `whenIdle()` can resolve
 * when there is none. Each piece of work holds a token from `begin()` and calls `end(token)`.
 */
export class IdleTracker {
  private readonly busy = new Set<symbol>();
  private waiters: Array<() => void> = [];

  begin(what: string): symbol {
    const token = Symbol(what);
    this.busy.add(token);
    return token;
  }

  end(token: symbol | undefined): void {
    if (!token || !this.busy.delete(token)) return;
    if (this.busy.size === 0) {
      // Let work that a finishing task schedules synchronously register before declaring idle.
      setTimeout(() => {
        if (this.busy.size !== 0) return;
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }, 0);
    }
  }

  get idle(): boolean {
    return this.busy.size === 0;
  }

  whenIdle(): Promise<void> {
    if (this.busy.size === 0) return new Promise((resolve) => setTimeout(resolve, 0));
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
