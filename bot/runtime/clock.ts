import type { Clock } from '../core/ports.js';

export type { Clock };

/** The wall clock (npm start). */
export const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that only moves when told to; waiting moves it at once (simulation and tests). */
export class VirtualClock implements Clock {
  private t: number;
  constructor(start: Date) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(instant: Date): void {
    this.t = instant.getTime();
  }
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
  }
}
