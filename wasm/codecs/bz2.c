/* bzip2 streams through the shim interface (shim.h), over the reference library. */
#include <string.h>
#include "bzlib.h"
#include "shim.h"

typedef struct {
  bz_stream stream;
  int live;
  int level;
} coder;

static void point(coder *c, nf_io *io) {
  c->stream.next_in = (char *)io->in + io->in_pos;
  c->stream.avail_in = io->in_size - io->in_pos;
  c->stream.next_out = (char *)io->out + io->out_pos;
  c->stream.avail_out = io->out_size - io->out_pos;
}

static void advance(coder *c, nf_io *io) {
  io->in_pos = io->in_size - c->stream.avail_in;
  io->out_pos = io->out_size - c->stream.avail_out;
}

NF_EXPORT(nf_dec_new) void *nf_dec_new(void) { return calloc(1, sizeof(coder)); }
NF_EXPORT(nf_dec_free) void nf_dec_free(void *state) {
  coder *c = state;
  if (c->live) BZ2_bzDecompressEnd(&c->stream);
  free(c);
}

NF_EXPORT(nf_dec) int nf_dec(void *state, nf_io *io) {
  coder *c = state;
  if (!c->live) {
    if (io->in_pos == io->in_size) return NF_DONE;
    memset(&c->stream, 0, sizeof c->stream);
    int r = BZ2_bzDecompressInit(&c->stream, 0, 0);
    if (r != BZ_OK) return r == BZ_MEM_ERROR ? NF_NO_MEMORY : NF_ERROR;
    c->live = 1;
  }
  point(c, io);
  int r = BZ2_bzDecompress(&c->stream);
  advance(c, io);
  if (r == BZ_STREAM_END) {
    BZ2_bzDecompressEnd(&c->stream);
    c->live = 0;
    return NF_DONE;
  }
  if (r == BZ_OK) return NF_MORE;
  return r == BZ_MEM_ERROR ? NF_NO_MEMORY : NF_ERROR;
}

NF_EXPORT(nf_enc_new) void *nf_enc_new(int level) {
  coder *c = calloc(1, sizeof(coder));
  if (c != NULL) c->level = level;
  return c;
}
NF_EXPORT(nf_enc_free) void nf_enc_free(void *state) {
  coder *c = state;
  if (c->live) BZ2_bzCompressEnd(&c->stream);
  free(c);
}

NF_EXPORT(nf_enc) int nf_enc(void *state, nf_io *io, int op) {
  coder *c = state;
  if (!c->live) {
    memset(&c->stream, 0, sizeof c->stream);
    int r = BZ2_bzCompressInit(&c->stream, c->level, 0, 0);
    if (r != BZ_OK) return r == BZ_MEM_ERROR ? NF_NO_MEMORY : NF_ERROR;
    c->live = 1;
  }
  point(c, io);
  int r = BZ2_bzCompress(&c->stream, op == NF_END ? BZ_FINISH : op == NF_FLUSH ? BZ_FLUSH : BZ_RUN);
  advance(c, io);
  switch (r) {
    case BZ_RUN_OK:
      return io->in_pos < io->in_size ? NF_MORE : NF_DONE;
    case BZ_FLUSH_OK:
    case BZ_FINISH_OK:
      return NF_MORE;
    case BZ_STREAM_END:
      BZ2_bzCompressEnd(&c->stream);
      c->live = 0;
      return NF_DONE;
    default:
      return r == BZ_MEM_ERROR ? NF_NO_MEMORY : NF_ERROR;
  }
}

NF_EXPORT(nf_min_level) int nf_min_level(void) { return 1; }
NF_EXPORT(nf_max_level) int nf_max_level(void) { return 9; }

/* bzlib's hook for internal errors (built with BZ_NO_STDIO): traps, as a failed assertion should. */
void bz_internal_error(int code) {
  (void)code;
  __builtin_trap();
}
