import type { Clock } from '../core/ports.js';

export type { Clock };

/** The wall clock (npm start). */
export const realClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A clock that only moves when told to; waiting moves it at once (simulation and tests).
 * `set` moves the wall clock and the monotonic one alike; `step` moves only the wall clock,
 * as an operator or NTP stepping the system time would.
 */
export class VirtualClock implements Clock {
  private t: number;
  private mono = 0;
  constructor(start: Date) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  monotonic(): number {
    return this.mono;
  }
  set(instant: Date): void {
    this.mono += Math.max(0, instant.getTime() - this.t);
    this.t = instant.getTime();
  }
  step(ms: number): void {
    this.t += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
    this.mono += Math.max(0, ms);
  }
}
