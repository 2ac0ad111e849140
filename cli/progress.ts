/**
 * What the deploy reports while it works, on stderr so stdout stays clean for `--json` and
 * pipes. On a terminal one line is redrawn in place (files hashed, bytes uploaded, rate,
 * time left); elsewhere (CI logs) plain lines are printed at each step and every few seconds.
 */

export interface Progress {
  hashing(files: number): void;
  hashed(bytes: number): void;
  uploading(blobs: number, bytes: number): void;
  uploaded(bytes: number): void;
  /** A line that stays (a step finished, a warning). */
  note(text: string): void;
  /** Clears the live line; call before printing results. */
  done(): void;
}

export type ProgressMode = "tty" | "plain" | "silent";

/** Redraw at most this often: faster is flicker, and each redraw is a write syscall. */
const TTY_INTERVAL_MS = 100;
/** A CI log gets a progress line this often during long uploads, so it never looks stuck. */
const PLAIN_INTERVAL_MS = 5_000;

const encoder = new TextEncoder();

function stderrWriter(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

/** `tty` when stderr is a terminal, `plain` otherwise (and `silent` when asked). */
export function createProgress(
  options: { quiet?: boolean; mode?: ProgressMode; write?: (text: string) => void } = {},
): Progress {
  const mode = options.quiet
    ? "silent"
    : options.mode ?? (Deno.stderr.isTerminal() ? "tty" : "plain");
  return new Reporter(mode, options.write ?? stderrWriter);
}

class Reporter implements Progress {
  #phase: "idle" | "hash" | "upload" = "idle";
  #total = 0;
  #done = 0;
  #bytes = 0;
  #totalBytes = 0;
  #started = 0;
  #drawn = 0;
  #live = false;

  constructor(readonly mode: ProgressMode, readonly write: (text: string) => void) {}

  hashing(files: number): void {
    this.#start("hash", files, 0);
    if (this.mode === "plain") this.#line(`Hashing ${countFiles(files)}…`);
  }

  hashed(bytes: number): void {
    this.#done++;
    this.#bytes += bytes;
    if (this.#done === this.#total) {
      const seconds = this.#seconds().toFixed(1);
      this.note(`Hashed ${countFiles(this.#total)} (${formatBytes(this.#bytes)}) in ${seconds} s`);
    } else this.#tick();
  }

  uploading(blobs: number, bytes: number): void {
    this.#start("upload", blobs, bytes);
    if (this.mode === "plain") {
      this.#line(`Uploading ${countFiles(blobs)} (${formatBytes(bytes)})…`);
    }
  }

  uploaded(bytes: number): void {
    this.#done++;
    this.#bytes += bytes;
    if (this.#done === this.#total) {
      const rate = formatBytes(this.#bytes / Math.max(this.#seconds(), 0.001));
      this.note(`Uploaded ${countFiles(this.#total)} (${formatBytes(this.#bytes)}) at ${rate}/s`);
    } else this.#tick();
  }

  note(text: string): void {
    this.#clear();
    this.#line(text);
  }

  done(): void {
    this.#clear();
    this.#phase = "idle";
  }

  #start(phase: "hash" | "upload", total: number, totalBytes: number): void {
    this.#phase = phase;
    this.#total = total;
    this.#totalBytes = totalBytes;
    this.#done = 0;
    this.#bytes = 0;
    this.#started = performance.now();
    this.#drawn = 0;
  }

  #tick(): void {
    const now = performance.now();
    const interval = this.mode === "tty" ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS;
    if (this.mode === "silent" || now - this.#drawn < interval) return;
    this.#drawn = now;
    if (this.mode === "plain") return this.#line(this.#status());
    this.write(`\r\x1b[2K${this.#status()}`);
    this.#live = true;
  }

  #status(): string {
    if (this.#phase === "hash") return `Hashing ${this.#done}/${this.#total} files`;
    const rate = this.#bytes / Math.max(this.#seconds(), 0.001);
    const left = rate > 0 ? (this.#totalBytes - this.#bytes) / rate : Infinity;
    return `Uploading ${this.#done}/${this.#total} files · ` +
      `${formatBytes(this.#bytes)}/${formatBytes(this.#totalBytes)} · ` +
      `${formatBytes(rate)}/s · ${formatSeconds(left)} left`;
  }

  #seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  #clear(): void {
    if (this.#live) this.write("\r\x1b[2K");
    this.#live = false;
  }

  #line(text: string): void {
    if (this.mode !== "silent") this.write(`${text}\n`);
  }
}

/** "1 file", "2 files". */
export function countFiles(count: number): string {
  return count === 1 ? "1 file" : `${count} files`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}
