/**
 * A request body held to a pace. An upload that holds a scarce resource (an archive install
 * slot) while its client sends nothing, or a trickle, is cut off with `upload_stalled`, so the
 * resource goes back at once instead of when the client gives up.
 *
 * Only the time a read waits for the client counts: while the reader is busy (hashing, writing
 * blobs) the client is held back by the reader, not slow. The cost on a fast upload is a few
 * additions per chunk and one timer for the whole body, re-armed only when it fires.
 */
import { TimedOutError } from "./errors.ts";

export interface Pace {
  /** Longest a read may wait for the next bytes. */
  idleMs: number;
  /** Least average rate, in bytes a second of waiting, once `graceBytes` are used up. */
  floorBytesPerSecond: number;
  /** How far the body may lag behind the floor rate: a slow start, a pause on a bad link. */
  graceBytes: number;
}

/** How a body ended before its last byte: cut off for its pace, or its connection failed. */
export type Interruption = "stalled" | "abandoned";

export class PacedBody {
  /** The body to read instead of the source. */
  readonly stream: ReadableStream<Uint8Array>;
  /** Bytes received from the client so far. */
  received = 0;
  /** Why the body ended early, or null while it has not. */
  interrupted: Interruption | null = null;
  /** The error the body was cut off with, when it was (`interrupted === "stalled"`). */
  stalled: TimedOutError | null = null;

  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #pace: Pace;
  #now: () => number;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  /** When the pending read began, or null when none is pending. */
  #waitingSince: number | null = null;
  /** Milliseconds spent waiting for the client, over all reads. */
  #waited = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;

  constructor(source: ReadableStream<Uint8Array>, pace: Pace, now = () => performance.now()) {
    this.#reader = source.getReader();
    this.#pace = pace;
    this.#now = now;
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      pull: () => this.#pull(),
      cancel: (reason) => {
        this.#end();
        return this.#reader.cancel(reason);
      },
      // No read ahead: a read waits for the client only when the reader asked for bytes.
    }, { highWaterMark: 0 });
    this.#watch(pace.idleMs);
  }

  /** Stops the watch and lets go of the source; for a reader that stopped before the end. */
  dispose(): void {
    if (this.#ended) return;
    this.#end();
    this.#reader.cancel().catch(() => {});
  }

  async #pull(): Promise<void> {
    const started = this.#now();
    this.#waitingSince = started;
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await this.#reader.read();
    } catch (error) {
      // A request body's read fails only when its connection does.
      if (this.#ended) return;
      this.interrupted = "abandoned";
      this.#end();
      this.#controller.error(error);
      return;
    }
    if (this.#ended) return;
    this.#waitingSince = null;
    this.#waited += this.#now() - started;
    if (next.done) {
      this.#end();
      this.#controller.close();
      return;
    }
    this.received += next.value.byteLength;
    const owed = this.#pace.floorBytesPerSecond * this.#waited / 1000 - this.#pace.graceBytes;
    if (this.received < owed) return this.#stall(this.#slowMessage());
    this.#controller.enqueue(next.value);
  }

  /** One timer for the whole body: on firing it checks the pending read and arms itself again. */
  #watch(delay: number): void {
    this.#timer = setTimeout(() => {
      const waiting = this.#waitingSince === null ? 0 : this.#now() - this.#waitingSince;
      if (waiting >= this.#pace.idleMs) this.#stall(this.#idleMessage());
      else this.#watch(this.#pace.idleMs - waiting);
    }, delay);
  }

  #stall(message: string): void {
    const error = new TimedOutError(message, "upload_stalled");
    this.interrupted = "stalled";
    this.stalled = error;
    this.#end();
    this.#reader.cancel(error).catch(() => {});
    this.#controller.error(error);
  }

  #end(): void {
    this.#ended = true;
    clearTimeout(this.#timer);
  }

  #idleMessage(): string {
    return `Upload sent no bytes for ${seconds(this.#pace.idleMs)} and was cut off; send the ` +
      `archive again on a steady connection: "${this.received} bytes received"`;
  }

  #slowMessage(): string {
    const floor = Math.round(this.#pace.floorBytesPerSecond / 1024);
    return `Upload is slower than ${floor} KiB/s, the least rate accepted, and was cut off; send ` +
      "the archive again on a faster connection (or use the manifest flow of deno task deploy, " +
      `which sends one file at a time): "${this.received} bytes received"`;
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
