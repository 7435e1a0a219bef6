/* zstd frames through the shim interface (shim.h), over the reference library. */
#define ZSTD_STATIC_LINKING_ONLY
#include "zstd.h"
#include "shim.h"

#ifndef NF_NO_DECODER
NF_EXPORT(nf_dec_new) void *nf_dec_new(void) { return ZSTD_createDStream(); }
NF_EXPORT(nf_dec_free) void nf_dec_free(void *state) { ZSTD_freeDStream(state); }

NF_EXPORT(nf_dec) int nf_dec(void *state, nf_io *io) {
  ZSTD_inBuffer in = {io->in, io->in_size, io->in_pos};
  ZSTD_outBuffer out = {io->out, io->out_size, io->out_pos};
  size_t hint = ZSTD_decompressStream(state, &out, &in);
  io->in_pos = in.pos;
  io->out_pos = out.pos;
  if (ZSTD_isError(hint)) return NF_ERROR;
  return hint == 0 ? NF_DONE : NF_MORE;
}

#endif

#ifndef NF_NO_ENCODER
NF_EXPORT(nf_enc_new) void *nf_enc_new(int level) {
  ZSTD_CCtx *cctx = ZSTD_createCCtx();
  if (cctx == NULL) return NULL;
  if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)) ||
      ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1))) {
    ZSTD_freeCCtx(cctx);
    return NULL;
  }
  return cctx;
}
NF_EXPORT(nf_enc_free) void nf_enc_free(void *state) { ZSTD_freeCCtx(state); }

NF_EXPORT(nf_enc) int nf_enc(void *state, nf_io *io, int op) {
  ZSTD_inBuffer in = {io->in, io->in_size, io->in_pos};
  ZSTD_outBuffer out = {io->out, io->out_size, io->out_pos};
  ZSTD_EndDirective directive = op == NF_END ? ZSTD_e_end : op == NF_FLUSH ? ZSTD_e_flush : ZSTD_e_continue;
  size_t left = ZSTD_compressStream2(state, &out, &in, directive);
  io->in_pos = in.pos;
  io->out_pos = out.pos;
  if (ZSTD_isError(left)) return NF_ERROR;
  if (in.pos < in.size) return NF_MORE;
  return op != NF_RUN && left > 0 ? NF_MORE : NF_DONE;
}

NF_EXPORT(nf_min_level) int nf_min_level(void) { return ZSTD_minCLevel(); }
NF_EXPORT(nf_max_level) int nf_max_level(void) { return ZSTD_maxCLevel(); }
#endif
