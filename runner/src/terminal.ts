import type { Redactor } from '@ferry/core';

/** Where human output goes: stderr, with one live status line when it is a terminal. */
export class Terminal {
  readonly #out: NodeJS.WriteStream;
  readonly #redactor: Redactor;
  readonly interactive: boolean;
  #status = '';

  constructor(out: NodeJS.WriteStream, redactor: Redactor) {
    this.#out = out;
    this.#redactor = redactor;
    this.interactive = out.isTTY && process.env.CI === undefined;
  }

  /** Prints a line (redacted) above the status line. */
  line(text: string): void {
    this.#clear();
    this.#out.write(this.#redactor.redact(text) + '\n');
    this.#draw();
  }

  /** Replaces the status line; ignored when not interactive. */
  status(text: string): void {
    if (!this.interactive) return;
    this.#clear();
    this.#status = this.#redactor.redact(text);
    this.#draw();
  }

  /** Removes the status line for good. */
  done(): void {
    this.#clear();
    this.#status = '';
  }

  #clear(): void {
    if (this.interactive && this.#status !== '') this.#out.write('\r\x1b[2K');
  }

  #draw(): void {
    if (this.interactive && this.#status !== '') {
      const width = this.#out.columns > 10 ? this.#out.columns - 1 : 120;
      this.#out.write(this.#status.slice(0, width));
    }
  }
}
