/**
 * The comparison every benchmark table comes from: nativefile and its peers measured in one
 * run, interleaved (each round runs every contender once, in a rotating order, so a noisy
 * neighbour on the shared machine hits them all alike), reported as the median of the rounds,
 * printed and merged into `bench/results.json` so a later run can be compared with this one.
 * Beside the ratio of the medians, each row has the paired ratio: the median, over rounds, of
 * the ratio within one round, where both contenders met the same neighbours.
 *
 * `npm run bench:node` runs the bench files one after the other (`--no-file-parallelism`): by
 * default vitest runs them side by side, and on two cores each file's tables then measured the
 * others' work too (OSFile.readBufferSync against fs.readSync, paired: 0.92-0.94x side by side,
 * 0.96x alone).
 *
 * vitest's own `bench()` runs each contender's iterations back to back, which on a noisy
 * machine turns load changes into ratios; the files keep one `bench()` per table only so
 * `vitest bench` drives them.
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { fileURLToPath } from 'node:url';

/** One contender of a table: `run` does the measured work once. */
export interface Contender {
  readonly name: string;
  readonly run: () => unknown;
}

/** A row of a printed table, as `results.json` stores it. */
export interface Row {
  readonly name: string;
  /** Median milliseconds per round. */
  readonly ms: number;
  /** The same in the table's unit (`MB/s`, `reads/s`, ...) when one was given. */
  readonly value?: number;
  /** The first contender's speed over this one's, as a ratio of medians: above 1, the first is faster. */
  readonly firstOverThis: number;
  /** The same ratio taken within each round (this one's time over the first's), median over rounds. */
  readonly pairedFirstOverThis: number;
  /** The longest the event loop waited past a 1 ms timer during this contender's rounds. */
  readonly worstStallMs?: number;
  readonly samples: readonly number[];
}

/** How {@link compare} measures. */
export interface CompareOptions {
  /** Measured rounds (the median of these is reported); at least 5. Default 7. */
  readonly rounds?: number;
  /** Unmeasured rounds first. Default 1. */
  readonly warmup?: number;
  /** Measure the worst event-loop stall during each contender's rounds. */
  readonly stalls?: boolean;
  /** Converts milliseconds per round to the table's unit, such as `(ms) => MB / (ms / 1000)`. */
  readonly per?: { readonly unit: string; readonly of: (ms: number) => number };
}

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

/** The median of `values` (the upper one of an even count). */
export function median(values: readonly number[]): number {
  return values.slice().sort((a, b) => a - b)[values.length >> 1]!;
}

/**
 * Watches the event loop with a 1 ms interval timer; `stop()` returns how late the timer fired
 * at worst (milliseconds past its due time). An operation that blocks the loop for 30 ms shows
 * as about 30.
 */
export function stallProbe(): { stop(): number } {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(worst, performance.now() - last - 1, 0);
    },
  };
}

/** Runs the contenders interleaved, prints the table and records it in `bench/results.json`. */
export async function compare(
  suite: string,
  title: string,
  contenders: readonly Contender[],
  options: CompareOptions = {},
): Promise<Row[]> {
  const rounds = Math.max(5, options.rounds ?? 7);
  const warmup = options.warmup ?? 1;
  const samples = contenders.map(() => [] as number[]);
  const stalls = contenders.map(() => 0);
  for (let round = 0; round < warmup + rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (round + k) % contenders.length;
      const probe = options.stalls === true ? stallProbe() : undefined;
      // Let the probe's first tick be due before the work starts.
      if (probe !== undefined) await new Promise((resolve) => setTimeout(resolve, 2));
      const started = performance.now();
      await contenders[i]!.run();
      const ms = performance.now() - started;
      const stall = probe?.stop() ?? 0;
      if (round >= warmup) {
        samples[i]!.push(ms);
        stalls[i] = Math.max(stalls[i]!, stall);
      }
    }
  }
  const medians = samples.map(median);
  const rows = contenders.map((contender, i): Row => ({
    name: contender.name,
    ms: medians[i]!,
    ...(options.per === undefined ? {} : { value: options.per.of(medians[i]!) }),
    firstOverThis: medians[i]! / medians[0]!,
    pairedFirstOverThis: median(samples[i]!.map((ms, round) => ms / samples[0]![round]!)),
    ...(options.stalls === true ? { worstStallMs: stalls[i]! } : {}),
    samples: samples[i]!,
  }));
  printTable(title, rounds, rows, options);
  record(suite, title, rows, options.per?.unit);
  return rows;
}

function printTable(title: string, rounds: number, rows: readonly Row[], options: CompareOptions): void {
  const lines = [`\n${title} — median of ${rounds} interleaved rounds`];
  for (const row of rows) {
    const speed = row.value === undefined ? '' : `${row.value.toFixed(row.value < 100 ? 2 : 0).padStart(9)} ${options.per!.unit}`;
    const ratio =
      row === rows[0]
        ? `${' '.repeat(8)}(first)${' '.repeat(16)}`
        : `${row.firstOverThis.toFixed(2).padStart(8)}x, paired ${row.pairedFirstOverThis.toFixed(2).padStart(5)}x`;
    const stall = row.worstStallMs === undefined ? '' : `   worst stall ${row.worstStallMs.toFixed(1).padStart(7)} ms`;
    lines.push(`  ${row.name.padEnd(50)} ${row.ms.toFixed(2).padStart(10)} ms${speed}${ratio}${stall}`);
  }
  lines.push(`  (ratio: ${rows[0]!.name} is that many times as fast as the row, as medians and paired within rounds)`);
  console.log(lines.join('\n'));
}

interface ResultsFile {
  readonly machine: { readonly cpu: string; readonly cores: number; readonly platform: string };
  readonly tables: Record<
    string,
    { readonly measuredAt: string; readonly runtime: string; readonly unit?: string; readonly rows: readonly Row[] }
  >;
}

/**
 * `size` zeroed bytes starting on a 4 KiB page boundary, for a peer's read buffer. On this
 * machine's CPU (AMD, with fast `rep movsb`) the kernel copies a file's pages 3 to 10 times
 * slower into memory that starts 1 to 31 bytes past a page boundary; glibc puts a 1 MiB
 * `malloc` served by `mmap` 16 bytes past one (`new Uint8Array(1 MiB)` early in a process), and
 * later ones wherever its heap has room. Elsewhere in the page the speed is the same (probe:
 * 1 MiB `fs.readSync` calls into a WebAssembly.Memory at offsets 0 to 4095). Pool memory is
 * 64-byte aligned, so never in that range; a peer reading into page-aligned memory is measured
 * at its best, not at the mercy of where malloc put its buffer.
 */
export function pageAlignedBytes(size: number): Uint8Array {
  const pages = Math.max(1, Math.ceil(size / 65536));
  return new Uint8Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, size);
}

/** Merges one table into `bench/results.json` (other tables of earlier runs stay). */
export function record(
  suite: string,
  title: string,
  rows: readonly Row[],
  unit?: string,
  runtime = `node ${process.version}`,
): void {
  let file: ResultsFile | undefined;
  try {
    if (existsSync(RESULTS)) file = JSON.parse(readFileSync(RESULTS, 'utf8')) as ResultsFile;
  } catch {
    // A torn or foreign file: start a new one.
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${arch()}` };
  const tables = {
    ...file?.tables,
    [`${suite}: ${title}`]: { measuredAt: new Date().toISOString(), runtime, ...(unit === undefined ? {} : { unit }), rows },
  };
  writeFileSync(RESULTS, `${JSON.stringify({ machine, tables }, null, 2)}\n`);
}
