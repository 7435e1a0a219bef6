import { IOError, OutOfMemoryError } from '../../errors.js';
import { bytesOfHex } from '../../util/hex.js';
import { corrupt } from '../codec-errors.js';
import { CHUNK, type EncodeStep, type Pending, type SyncDecoder, type SyncEncoder } from '../transform.js';

/** The exports of a codec module built from wasm/codecs (the interface of wasm/codecs/shim.h). */
interface ShimExports {
  readonly memory: WebAssembly.Memory;
  nf_malloc(size: number): number;
  nf_free(pointer: number): void;
  nf_dec_new?(): number;
  nf_dec?(state: number, io: number): number;
  nf_dec_free?(state: number): void;
  nf_enc_new?(level: number): number;
  nf_enc?(state: number, io: number, step: number): number;
  nf_enc_free?(state: number): void;
  nf_enc_out_min?(): number;
  nf_block_bound?(size: number): number;
  nf_block_compress?(source: number, size: number, target: number, capacity: number, level: number): number;
  nf_block_decompress?(source: number, size: number, target: number, capacity: number): number;
}

const DONE = 0;
const MORE = 1;
const NO_MEMORY = -2;
const STEPS: { readonly [step in EncodeStep]: number } = { run: 0, flush: 1, end: 2 };
/** Input copied into the module per call, at most. */
const IN = 256 * 1024;

/**
 * One instance of a codec module: its memory, the shim's call record and buffers, shared by
 * every coder of the codec in this thread (calls are synchronous, so they never interleave).
 */
export class ShimModule {
  readonly #exports: ShimExports;
  readonly #io: number;
  readonly #in: number;
  readonly #out: number;
  readonly #outSize: number;
  /** Frees the state of a coder dropped without `dispose()`. */
  readonly #orphans: FinalizationRegistry<() => void>;

  private constructor(
    exports: ShimExports,
    readonly codec: string,
  ) {
    this.#exports = exports;
    this.#outSize = Math.max(CHUNK, exports.nf_enc_out_min?.() ?? 0);
    this.#io = this.#malloc(24);
    this.#in = this.#malloc(IN);
    this.#out = this.#malloc(this.#outSize);
    this.#orphans = new FinalizationRegistry((free) => free());
  }

  /** Compiles and instantiates an embedded module. */
  static async load(hex: string, codec: string): Promise<ShimModule> {
    const module = await WebAssembly.compile(bytesOfHex(hex));
    const instance = await WebAssembly.instantiate(module, IMPORTS);
    return new ShimModule(instance.exports as unknown as ShimExports, codec);
  }

  #malloc(size: number): number {
    const pointer = this.#exports.nf_malloc(size);
    if (pointer === 0) throw new OutOfMemoryError(`the ${this.codec} codec's memory is full (asked for ${size} bytes)`);
    return pointer;
  }

  get #heap(): Uint8Array {
    return new Uint8Array(this.#exports.memory.buffer);
  }

  /** Copies up to `IN` bytes of pending input in and sets up the call record; returns the count. */
  #prepare(input: Pending): number {
    const count = Math.min(input.bytes.byteLength - input.consumed, IN);
    if (count > 0) this.#heap.set(input.bytes.subarray(input.consumed, input.consumed + count), this.#in);
    const io = new DataView(this.#exports.memory.buffer, this.#io, 24);
    io.setUint32(0, this.#in, true);
    io.setUint32(4, count, true);
    io.setUint32(8, 0, true);
    io.setUint32(12, this.#out, true);
    io.setUint32(16, this.#outSize, true);
    io.setUint32(20, 0, true);
    return count;
  }

  /** After a call: moves `input` past what was taken and returns the output (a copy, or with `borrow` a view). */
  #collect(input: Pending, borrow = false): Uint8Array {
    const io = new DataView(this.#exports.memory.buffer, this.#io, 24);
    input.consumed += io.getUint32(8, true);
    const produced = io.getUint32(20, true);
    if (produced === 0) return EMPTY;
    return borrow ? this.#heap.subarray(this.#out, this.#out + produced) : this.#heap.slice(this.#out, this.#out + produced);
  }

  #fail(result: number, what: string): never {
    if (result === NO_MEMORY) throw new OutOfMemoryError(`the ${this.codec} codec ran out of memory while ${what}`);
    throw corrupt(this.codec);
  }

  #state(make: () => number, free: (state: number) => void, owner: object): number {
    const state = make();
    if (state === 0) throw new OutOfMemoryError(`the ${this.codec} codec's memory is full`);
    this.#orphans.register(owner, () => free(state), owner);
    return state;
  }

  /** A decoder of concatenated frames. */
  decoder(): SyncDecoder {
    const exports = this.#exports;
    let status = DONE;
    let state = 0;
    const decoder: SyncDecoder = {
      decode: (input, _end, borrow) => {
        for (;;) {
          // At the end of a frame with no input, there is nothing to do (a call would start a frame).
          if (status === DONE && input.consumed >= input.bytes.byteLength) return EMPTY;
          const given = this.#prepare(input);
          const result = exports.nf_dec!(state, this.#io);
          if (result < 0) this.#fail(result, 'decoding');
          status = result;
          const taken = input.consumed;
          const output = this.#collect(input, borrow);
          if (output.byteLength > 0) return output;
          // Nothing came out: more input is needed, unless some was taken and more remains.
          if (given === 0 || input.consumed === taken || input.consumed >= input.bytes.byteLength) return EMPTY;
        }
      },
      get atBoundary() {
        return status === DONE;
      },
      dispose: () => {
        if (state === 0) return;
        this.#orphans.unregister(decoder);
        exports.nf_dec_free!(state);
        state = 0;
      },
    };
    state = this.#state(
      () => exports.nf_dec_new!(),
      (s) => exports.nf_dec_free!(s),
      decoder,
    );
    return decoder;
  }

  /** An encoder at `level`. */
  encoder(level: number): SyncEncoder {
    const exports = this.#exports;
    let state = 0;
    let settled: EncodeStep | undefined;
    const encoder: SyncEncoder = {
      encode: (input, step) => {
        for (;;) {
          const remaining = input.bytes.byteLength - input.consumed;
          if (remaining === 0 && settled === step) return EMPTY;
          const given = this.#prepare(input);
          const result = exports.nf_enc!(state, this.#io, given < remaining ? STEPS.run : STEPS[step]);
          if (result < 0) this.#fail(result, 'encoding');
          const output = this.#collect(input);
          const allTaken = input.consumed >= input.bytes.byteLength;
          settled = result === DONE && allTaken ? step : undefined;
          if (output.byteLength > 0) return output;
          if (result !== MORE && allTaken) return EMPTY;
        }
      },
      dispose: () => {
        if (state === 0) return;
        this.#orphans.unregister(encoder);
        exports.nf_enc_free!(state);
        state = 0;
      },
    };
    state = this.#state(
      () => exports.nf_enc_new!(level),
      (s) => exports.nf_enc_free!(s),
      encoder,
    );
    return encoder;
  }

  /** Compresses one raw block (lz4_raw). */
  compressBlock(data: Uint8Array, level: number): Uint8Array {
    const exports = this.#exports;
    const capacity = exports.nf_block_bound!(data.byteLength);
    return this.#withBlocks(data, capacity, (source, target) => {
      const written = exports.nf_block_compress!(source, data.byteLength, target, capacity, level);
      if (written < 0) this.#fail(NO_MEMORY, 'encoding');
      return this.#heap.slice(target, target + written);
    });
  }

  /** Decompresses one raw block of exactly `size` bytes (lz4_raw); `null` if it is corrupt. */
  decompressBlock(data: Uint8Array, size: number): Uint8Array | null {
    const exports = this.#exports;
    return this.#withBlocks(data, size, (source, target) => {
      const written = exports.nf_block_decompress!(source, data.byteLength, target, size);
      return written === size ? this.#heap.slice(target, target + written) : null;
    });
  }

  /** Runs `use` on a copy of `data` and `capacity` bytes for output in the module's memory, freed on every path. */
  #withBlocks<T>(data: Uint8Array, capacity: number, use: (source: number, target: number) => T): T {
    const source = this.#malloc(Math.max(data.byteLength, 1));
    try {
      const target = this.#malloc(Math.max(capacity, 1));
      try {
        this.#heap.set(data, source);
        return use(source, target);
      } finally {
        this.#exports.nf_free(target);
      }
    } finally {
      this.#exports.nf_free(source);
    }
  }
}

const EMPTY = new Uint8Array(0);

/** What the modules import: brotli's encoder links wasi-libc's `exit`, reached only by a failed assertion. */
const IMPORTS = {
  wasi_snapshot_preview1: {
    proc_exit(code: number): never {
      throw new IOError(`a codec module exited with status ${code}`);
    },
  },
};
