/** Counts events per second over a sliding window of whole seconds. */
export class RateMeter {
  private readonly buckets: number[]
  private readonly seconds: number[]

  constructor(private readonly windowSeconds = 10) {
    this.buckets = new Array<number>(windowSeconds).fill(0)
    this.seconds = new Array<number>(windowSeconds).fill(-1)
  }

  add(count: number, now = Date.now()): void {
    const second = Math.floor(now / 1000)
    const slot = second % this.windowSeconds
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second
      this.buckets[slot] = 0
    }
    this.buckets[slot]! += count
  }

  /** Average over the last full window, excluding the second in progress. */
  perSecond(now = Date.now()): number {
    const current = Math.floor(now / 1000)
    let total = 0
    for (let i = 0; i < this.windowSeconds; i++) {
      const second = this.seconds[i]!
      if (second < current && second >= current - this.windowSeconds) total += this.buckets[i]!
    }
    return Math.round((total / this.windowSeconds) * 10) / 10
  }
}
