/**
 * A file-size estimate for size-based rotation: the bytes already emitted plus the bytes still
 * buffered (raw, not yet encoded or compressed) times a compression ratio. The ratio starts at
 * a per-format guess and is replaced by the measured one as soon as encoded output exists. The
 * estimate never decreases, so a rotation check against a limit cannot flip back and forth.
 */
export class SizeEstimate {
  private ratio: number;
  private value = 0;

  constructor(initialRatio: number) {
    this.ratio = initialRatio;
  }

  /** The latest estimate. */
  get bytes(): number {
    return this.value;
  }

  /** Records that `rawBytes` of input became `encodedBytes` of output (totals so far). */
  learn(encodedBytes: number, rawBytes: number): void {
    if (encodedBytes > 0 && rawBytes > 0) this.ratio = encodedBytes / rawBytes;
  }

  /** Updates the estimate from the bytes emitted and the raw bytes still pending. */
  update(emittedBytes: number, pendingRawBytes: number): number {
    this.value = Math.max(this.value, Math.round(emittedBytes + pendingRawBytes * this.ratio));
    return this.value;
  }
}
