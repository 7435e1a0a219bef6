/* Brotli streams through the shim interface (shim.h), over the reference library. */
#include "brotli/decode.h"
#include "brotli/encode.h"
#include "shim.h"

#ifndef NF_NO_DECODER
typedef struct {
  BrotliDecoderState *state;
} decoder;

NF_EXPORT(nf_dec_new) void *nf_dec_new(void) { return calloc(1, sizeof(decoder)); }
NF_EXPORT(nf_dec_free) void nf_dec_free(void *state) {
  decoder *d = state;
  if (d->state != NULL) BrotliDecoderDestroyInstance(d->state);
  free(d);
}

NF_EXPORT(nf_dec) int nf_dec(void *state, nf_io *io) {
  decoder *d = state;
  if (d->state == NULL) {
    if (io->in_pos == io->in_size) return NF_DONE;
    d->state = BrotliDecoderCreateInstance(NULL, NULL, NULL);
    if (d->state == NULL) return NF_NO_MEMORY;
  }
  size_t avail_in = io->in_size - io->in_pos, avail_out = io->out_size - io->out_pos;
  const uint8_t *next_in = io->in + io->in_pos;
  uint8_t *next_out = io->out + io->out_pos;
  BrotliDecoderResult r = BrotliDecoderDecompressStream(d->state, &avail_in, &next_in, &avail_out, &next_out, NULL);
  io->in_pos = io->in_size - avail_in;
  io->out_pos = io->out_size - avail_out;
  if (r == BROTLI_DECODER_RESULT_SUCCESS) {
    BrotliDecoderDestroyInstance(d->state);
    d->state = NULL;
    return NF_DONE;
  }
  return r == BROTLI_DECODER_RESULT_ERROR ? NF_ERROR : NF_MORE;
}

#endif

#ifndef NF_NO_ENCODER
typedef struct {
  BrotliEncoderState *state;
  int level;
} encoder;

NF_EXPORT(nf_enc_new) void *nf_enc_new(int level) {
  encoder *e = calloc(1, sizeof(encoder));
  if (e != NULL) e->level = level;
  return e;
}
NF_EXPORT(nf_enc_free) void nf_enc_free(void *state) {
  encoder *e = state;
  if (e->state != NULL) BrotliEncoderDestroyInstance(e->state);
  free(e);
}

NF_EXPORT(nf_enc) int nf_enc(void *state, nf_io *io, int op) {
  encoder *e = state;
  if (e->state == NULL) {
    e->state = BrotliEncoderCreateInstance(NULL, NULL, NULL);
    if (e->state == NULL) return NF_NO_MEMORY;
    BrotliEncoderSetParameter(e->state, BROTLI_PARAM_QUALITY, (uint32_t)e->level);
  }
  size_t avail_in = io->in_size - io->in_pos, avail_out = io->out_size - io->out_pos;
  const uint8_t *next_in = io->in + io->in_pos;
  uint8_t *next_out = io->out + io->out_pos;
  BrotliEncoderOperation operation =
      op == NF_END ? BROTLI_OPERATION_FINISH : op == NF_FLUSH ? BROTLI_OPERATION_FLUSH : BROTLI_OPERATION_PROCESS;
  if (!BrotliEncoderCompressStream(e->state, operation, &avail_in, &next_in, &avail_out, &next_out, NULL)) return NF_ERROR;
  io->in_pos = io->in_size - avail_in;
  io->out_pos = io->out_size - avail_out;
  if (BrotliEncoderHasMoreOutput(e->state) || io->in_pos < io->in_size) return NF_MORE;
  if (op == NF_END) {
    if (!BrotliEncoderIsFinished(e->state)) return NF_MORE;
    BrotliEncoderDestroyInstance(e->state);
    e->state = NULL;
  }
  return NF_DONE;
}

NF_EXPORT(nf_min_level) int nf_min_level(void) { return BROTLI_MIN_QUALITY; }
NF_EXPORT(nf_max_level) int nf_max_level(void) { return BROTLI_MAX_QUALITY; }
#endif
