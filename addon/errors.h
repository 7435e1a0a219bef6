/*
 * Errors and argument checks for the addon's N-API functions.
 *
 * Every error thrown to JavaScript has a string `code` so that the TypeScript side can turn it
 * into an IOError without parsing messages: an errno name for failed system calls (with
 * `errno`, negative as in Node's own errors, and `syscall`), 'EINVAL' for bad arguments
 * (a TypeError for a wrong type, a RangeError for a number out of range), 'ESTALE' for a
 * mapping whose file shrank under it. Promises are rejected with the same errors.
 */
#ifndef NATIVEFILE_ERRORS_H
#define NATIVEFILE_ERRORS_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

enum nf_error_kind { NF_ERROR, NF_TYPE_ERROR, NF_RANGE_ERROR };

/* The errno name ("ENOMEM"), or "EIO" for one this table does not know. */
const char *nf_errno_name(int error);

/* Throws a `kind` error with `code` and a printf-style message; returns NULL for `return`. */
napi_value nf_throw(napi_env env, enum nf_error_kind kind, const char *code, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Throws the failure of `syscall` with errno `error`, naming what it was doing in `what`. */
napi_value nf_throw_errno(napi_env env, const char *syscall, int error, const char *what);

/*
 * The errors above as values, not thrown: for rejecting a promise once work on the thread
 * pool is done. NULL only if N-API cannot make even a string (the environment is going away).
 */
napi_value nf_error(napi_env env, const char *code, const char *format, ...) __attribute__((format(printf, 3, 4)));
napi_value nf_errno_error(napi_env env, const char *syscall, int error, const char *what);

/*
 * Reads argument `name` as an integer in [0, max] into `out`. On a wrong type or value it
 * throws (TypeError or RangeError, code 'EINVAL', naming the argument and value) and returns
 * false.
 */
bool nf_get_index(napi_env env, napi_value value, const char *name, uint64_t max, uint64_t *out);

/*
 * Reads argument `name` as an ArrayBuffer; throws a TypeError (code 'EINVAL') and returns
 * false if it is not one.
 */
bool nf_get_arraybuffer(napi_env env, napi_value value, const char *name, void **data, size_t *length);

#endif
