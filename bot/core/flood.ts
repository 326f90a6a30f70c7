/**
 * A per-sender budget of answers a minute (on the injected clock): within it, answered; the
 * first over it, told once to slow down; the rest of that minute, silence. A flood from one
 * sender then costs a few replies, never a queue that delays everyone's rounds. Written here
 * rather than taken from a rate-limiting library: those read the wall clock themselves, and the
 * flood tests run on the virtual clock.
 */
export class SenderBudget {
  private minute = -1;
  private readonly counts = new Map<string, number>();

  constructor(private readonly perMinute: number) {}

  take(sender: string, now: Date): 'answer' | 'slow-down' | 'silent' {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.counts.clear();
    }
    const n = (this.counts.get(sender) ?? 0) + 1;
    this.counts.set(sender, n);
    return n <= this.perMinute ? 'answer' : n === this.perMinute + 1 ? 'slow-down' : 'silent';
  }
}
