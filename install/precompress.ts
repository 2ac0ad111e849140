/**
 * Precompression of a package's text files at install (DESIGN "Packages"), so the edge never
 * compresses anything per request: each compressible file gets a brotli and a gzip variant,
 * each kept only when it is clearly smaller than the file.
 *
 * Budget: an install of 2,000 files / 20 MiB of text must stay within ~3 s on 2 cores. Measured
 * on our machines (Deno 2.9, 20 MiB of real JS/CSS/JSON): brotli q5 ≈ 0.66 s (ratio 0.262),
 * q11 ≈ 30 s (0.235); gzip level 6 ≈ 0.47 s (0.276), level 9 ≈ 0.8 s (0.274). So brotli q5
 * and gzip 6, with the work spread over worker threads when there is enough of it.
 */
import { type Compressed, compressSync } from "./compress.ts";

interface Job {
  files: Uint8Array[];
  resolve: (value: Compressed[]) => void;
  reject: (error: unknown) => void;
}

/** Work below this much is done inline: starting a worker costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 1024 * 1024;

/**
 * Compresses files, inline for small installs and on worker threads for large ones (the
 * install's own thread keeps reading, hashing and writing meanwhile). Files go to a worker in
 * batches: a message costs about 0.25 ms, as much as compressing 10 KiB. Where workers are not
 * available (some hosted runtimes) everything runs inline. Call `close()` when done.
 */
export class Precompressor {
  #workers: Worker[] = [];
  #idle: Worker[] = [];
  #queue: Job[] = [];
  #running = new Map<Worker, Job>();
  #seenBytes = 0;
  #workersFailed = false;

  constructor(private maxWorkers = defaultWorkers()) {}

  /** Compresses a batch of files; answers their variants in the same order. */
  compressMany(files: Uint8Array[]): Promise<Compressed[]> {
    for (const file of files) this.#seenBytes += file.byteLength;
    const inline = this.maxWorkers === 0 || this.#workersFailed ||
      (this.#workers.length === 0 && this.#seenBytes < WORKER_THRESHOLD_BYTES) ||
      (this.#workers.length === 0 && !this.#start());
    if (inline) return Promise.resolve(files.map(compressSync));
    return new Promise((resolve, reject) => {
      this.#queue.push({ files, resolve, reject });
      this.#pump();
    });
  }

  #start(): boolean {
    try {
      for (let i = 0; i < this.maxWorkers; i++) {
        const worker = new Worker(new URL("./precompress_worker.ts", import.meta.url), {
          type: "module",
        });
        worker.onmessage = (event: MessageEvent<Compressed[]>) => this.#settle(worker, event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          this.#settle(worker, null, event.error ?? new Error(event.message));
        };
        this.#workers.push(worker);
        this.#idle.push(worker);
      }
      return true;
    } catch {
      this.close();
      this.#workersFailed = true;
      return false;
    }
  }

  #pump(): void {
    while (this.#idle.length && this.#queue.length) {
      const worker = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#running.set(worker, job);
      worker.postMessage(job.files);
    }
  }

  #settle(worker: Worker, result: Compressed[] | null, error?: unknown): void {
    const job = this.#running.get(worker);
    this.#running.delete(worker);
    this.#idle.push(worker);
    if (result) job?.resolve(result);
    else job?.reject(error);
    this.#pump();
  }

  /** Stops the workers; batches still queued are compressed inline so none is lost. */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
    this.#idle = [];
    for (const job of this.#running.values()) job.reject(new Error("Precompressor closed"));
    this.#running.clear();
    for (const job of this.#queue.splice(0)) job.resolve(job.files.map(compressSync));
  }
}

/**
 * One worker per core but one, at most 3: the install's own thread inflates, hashes and feeds
 * KV meanwhile. Measured on 2 cores: one worker is as fast as none or a little faster, two are
 * slower (the three threads then fight for two cores); more cores gain more.
 */
function defaultWorkers(): number {
  if (typeof Worker === "undefined") return 0;
  return Math.max(0, Math.min(3, (navigator.hardwareConcurrency ?? 1) - 1));
}
