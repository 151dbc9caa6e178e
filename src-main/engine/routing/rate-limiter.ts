// A token bucket over events: a destination limited to N events/s may burst up to one second's worth, then
// waits. Asked before each request; a reservation beyond the bucket puts it in debt, so the next waits longer.

export class RateLimiter {
  private tokens: number
  private last: number

  constructor(private readonly perSecond: number, private readonly now: () => number = Date.now) {
    this.tokens = perSecond
    this.last = now()
  }

  /** Milliseconds to wait before `n` events may go; 0 takes them now. */
  reserve(n: number): number {
    const now = this.now()
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    // Taken now, paid for by waiting: requests asked for one after another queue up behind each other.
    this.tokens -= n
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000)
  }
}
