/* LZ4 frames (shim.h) and raw LZ4 blocks, over the reference library. */
#include <string.h>
#include "lz4.h"
#include "lz4frame.h"
#include "lz4hc.h"
#include "shim.h"

/* Input is handed to the library this much at a time, so the output room a call needs is bounded. */
#define STEP (64 * 1024)

NF_EXPORT(nf_dec_new) void *nf_dec_new(void) {
  LZ4F_dctx *dctx = NULL;
  return LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)) ? NULL : dctx;
}
NF_EXPORT(nf_dec_free) void nf_dec_free(void *state) { LZ4F_freeDecompressionContext(state); }

NF_EXPORT(nf_dec) int nf_dec(void *state, nf_io *io) {
  size_t out_size = io->out_size - io->out_pos;
  size_t in_size = io->in_size - io->in_pos;
  size_t hint = LZ4F_decompress(state, io->out + io->out_pos, &out_size, io->in + io->in_pos, &in_size, NULL);
  io->in_pos += in_size;
  io->out_pos += out_size;
  if (LZ4F_isError(hint)) return NF_ERROR;
  return hint == 0 ? NF_DONE : NF_MORE;
}

typedef struct {
  LZ4F_cctx *cctx;
  LZ4F_preferences_t prefs;
  int started;
} encoder;

NF_EXPORT(nf_enc_new) void *nf_enc_new(int level) {
  encoder *enc = calloc(1, sizeof(encoder));
  if (enc == NULL) return NULL;
  if (LZ4F_isError(LZ4F_createCompressionContext(&enc->cctx, LZ4F_VERSION))) {
    free(enc);
    return NULL;
  }
  enc->prefs.compressionLevel = level;
  enc->prefs.frameInfo.blockSizeID = LZ4F_max256KB;
  enc->prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  enc->prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  return enc;
}
NF_EXPORT(nf_enc_free) void nf_enc_free(void *state) {
  encoder *enc = state;
  LZ4F_freeCompressionContext(enc->cctx);
  free(enc);
}

/* The output room nf_enc needs to make progress: the bound of one step with a full block held. */
NF_EXPORT(nf_enc_out_min) uint32_t nf_enc_out_min(void) {
  LZ4F_preferences_t prefs;
  memset(&prefs, 0, sizeof prefs);
  prefs.frameInfo.blockSizeID = LZ4F_max256KB;
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  return LZ4F_compressBound(STEP, &prefs) + LZ4F_HEADER_SIZE_MAX;
}

NF_EXPORT(nf_enc) int nf_enc(void *state, nf_io *io, int op) {
  encoder *enc = state;
  size_t r;
  if (!enc->started) {
    if (io->out_size - io->out_pos < LZ4F_HEADER_SIZE_MAX) return NF_MORE;
    r = LZ4F_compressBegin(enc->cctx, io->out + io->out_pos, io->out_size - io->out_pos, &enc->prefs);
    if (LZ4F_isError(r)) return NF_ERROR;
    io->out_pos += r;
    enc->started = 1;
  }
  while (io->in_pos < io->in_size) {
    size_t step = io->in_size - io->in_pos < STEP ? io->in_size - io->in_pos : STEP;
    if (io->out_size - io->out_pos < LZ4F_compressBound(step, &enc->prefs)) return NF_MORE;
    r = LZ4F_compressUpdate(enc->cctx, io->out + io->out_pos, io->out_size - io->out_pos, io->in + io->in_pos, step, NULL);
    if (LZ4F_isError(r)) return NF_ERROR;
    io->in_pos += step;
    io->out_pos += r;
  }
  if (op == NF_RUN) return NF_DONE;
  if (io->out_size - io->out_pos < LZ4F_compressBound(0, &enc->prefs)) return NF_MORE;
  if (op == NF_FLUSH) {
    r = LZ4F_flush(enc->cctx, io->out + io->out_pos, io->out_size - io->out_pos, NULL);
  } else {
    r = LZ4F_compressEnd(enc->cctx, io->out + io->out_pos, io->out_size - io->out_pos, NULL);
    enc->started = 0;
  }
  if (LZ4F_isError(r)) return NF_ERROR;
  io->out_pos += r;
  return NF_DONE;
}

NF_EXPORT(nf_min_level) int nf_min_level(void) { return 1; }
NF_EXPORT(nf_max_level) int nf_max_level(void) { return LZ4F_compressionLevel_max(); }

/* Raw blocks (lz4_raw): the output size or a negative error. */
NF_EXPORT(nf_block_bound) int nf_block_bound(int size) { return LZ4_compressBound(size); }
NF_EXPORT(nf_block_compress) int nf_block_compress(const char *src, int size, char *dst, int capacity, int level) {
  int written = level < LZ4HC_CLEVEL_MIN ? LZ4_compress_default(src, dst, size, capacity)
                                         : LZ4_compress_HC(src, dst, size, capacity, level);
  return written > 0 || size == 0 ? written : NF_ERROR;
}
NF_EXPORT(nf_block_decompress) int nf_block_decompress(const char *src, int size, char *dst, int capacity) {
  int written = LZ4_decompress_safe(src, dst, size, capacity);
  return written >= 0 ? written : NF_ERROR;
}
