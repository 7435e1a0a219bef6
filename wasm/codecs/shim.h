/*
 * The one interface every codec module exports; src/codecs/wasm/wasm-codec.ts drives it.
 *
 * A call reads from io->in[in_pos, in_size) and writes to io->out[out_pos, out_size), moving
 * both positions. Results: NF_DONE (0), NF_MORE (1), or a negative error.
 *   nf_dec: NF_DONE at the end of a frame (or stream) with all its output written, NF_MORE
 *           inside one; a next call with input starts the next frame (concatenated input).
 *   nf_enc: op NF_RUN takes input, NF_FLUSH also writes out what is held, NF_END ends the
 *           frame; NF_MORE means call again with more output room, NF_DONE that all input is
 *           taken and the op is complete.
 */
#ifndef NF_SHIM_H
#define NF_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define NF_EXPORT(name) __attribute__((export_name(#name), visibility("default")))

typedef struct {
  const uint8_t *in;
  uint32_t in_size;
  uint32_t in_pos;
  uint8_t *out;
  uint32_t out_size;
  uint32_t out_pos;
} nf_io;

enum { NF_DONE = 0, NF_MORE = 1, NF_ERROR = -1, NF_NO_MEMORY = -2, NF_BAD_LEVEL = -3 };
enum { NF_RUN = 0, NF_FLUSH = 1, NF_END = 2 };

NF_EXPORT(nf_malloc) void *nf_malloc(size_t size) { return malloc(size); }
NF_EXPORT(nf_free) void nf_free(void *pointer) { free(pointer); }

#endif
