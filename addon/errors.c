/* Errors and argument checks for the addon's N-API functions; see errors.h. */
#include "errors.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * A table rather than glibc's strerrorname_np, which would make the prebuilt binary need
 * glibc 2.32. These are the errors mmap, msync and the checks here can produce.
 */
const char *nf_errno_name(int error) {
  switch (error) {
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case ECANCELED: return "ECANCELED";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EFBIG: return "EFBIG";
    case EINTR: return "EINTR";
    case EINVAL: return "EINVAL";
    case EIO: return "EIO";
    case EISDIR: return "EISDIR";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENODEV: return "ENODEV";
    case ENOENT: return "ENOENT";
    case ENOMEM: return "ENOMEM";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case ENOTSUP: return "ENOTSUP";
    case ENXIO: return "ENXIO";
    case EOVERFLOW: return "EOVERFLOW";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case ESTALE: return "ESTALE";
    case ETXTBSY: return "ETXTBSY";
    default: return "EIO";
  }
}

/*
 * Builds the error object by hand (not napi_throw_error) so it can carry more properties;
 * NULL if N-API cannot make it.
 */
static napi_value make_error(napi_env env, enum nf_error_kind kind, const char *code, const char *message,
                             int error, const char *syscall) {
  napi_value code_value, message_value, value;
  napi_status status = napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value);
  if (status == napi_ok) status = napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &message_value);
  if (status == napi_ok) {
    switch (kind) {
      case NF_TYPE_ERROR: status = napi_create_type_error(env, code_value, message_value, &value); break;
      case NF_RANGE_ERROR: status = napi_create_range_error(env, code_value, message_value, &value); break;
      default: status = napi_create_error(env, code_value, message_value, &value); break;
    }
  }
  if (status != napi_ok) return NULL;
  if (syscall != NULL) {
    napi_value errno_value, syscall_value;
    if (napi_create_int32(env, -error, &errno_value) == napi_ok) {
      napi_set_named_property(env, value, "errno", errno_value);
    }
    if (napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value) == napi_ok) {
      napi_set_named_property(env, value, "syscall", syscall_value);
    }
  }
  return value;
}

/* Throws what make_error made; napi_throw_error is the last resort. A pending exception is kept. */
static napi_value throw_with(napi_env env, enum nf_error_kind kind, const char *code,
                             const char *message, int error, const char *syscall) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return NULL;
  napi_value value = make_error(env, kind, code, message, error, syscall);
  if (value == NULL || napi_throw(env, value) != napi_ok) napi_throw_error(env, code, message);
  return NULL;
}

napi_value nf_throw(napi_env env, enum nf_error_kind kind, const char *code, const char *format, ...) {
  char message[256];
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(message, sizeof message, format, arguments);
  va_end(arguments);
  return throw_with(env, kind, code, message, 0, NULL);
}

/* The message of a failed system call: what was being done, the call, strerror and the name. */
static void errno_message(char *message, size_t size, const char *syscall, int error, const char *what) {
  snprintf(message, size, "%s: %s failed: %s (%s)", what, syscall, strerror(error), nf_errno_name(error));
}

napi_value nf_throw_errno(napi_env env, const char *syscall, int error, const char *what) {
  char message[256];
  errno_message(message, sizeof message, syscall, error, what);
  return throw_with(env, NF_ERROR, nf_errno_name(error), message, error, syscall);
}

napi_value nf_error(napi_env env, const char *code, const char *format, ...) {
  char message[256];
  va_list arguments;
  va_start(arguments, format);
  vsnprintf(message, sizeof message, format, arguments);
  va_end(arguments);
  return make_error(env, NF_ERROR, code, message, 0, NULL);
}

napi_value nf_errno_error(napi_env env, const char *syscall, int error, const char *what) {
  char message[256];
  errno_message(message, sizeof message, syscall, error, what);
  return make_error(env, NF_ERROR, nf_errno_name(error), message, error, syscall);
}

bool nf_get_index(napi_env env, napi_value value, const char *name, uint64_t max, uint64_t *out) {
  napi_valuetype type;
  double number;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number ||
      napi_get_value_double(env, value, &number) != napi_ok) {
    nf_throw(env, NF_TYPE_ERROR, "EINVAL", "%s must be a number", name);
    return false;
  }
  /* 2^53 and above: not every integer is a double, so the value may already be rounded. */
  if (max > 9007199254740991u) max = 9007199254740991u;
  if (!(number >= 0) || number != floor(number) || number > (double)max) {
    nf_throw(env, NF_RANGE_ERROR, "EINVAL", "%s must be an integer in [0, %llu], got %.17g", name,
             (unsigned long long)max, number);
    return false;
  }
  *out = (uint64_t)number;
  return true;
}

bool nf_get_arraybuffer(napi_env env, napi_value value, const char *name, void **data, size_t *length) {
  bool is_arraybuffer = false;
  if (napi_is_arraybuffer(env, value, &is_arraybuffer) != napi_ok || !is_arraybuffer ||
      napi_get_arraybuffer_info(env, value, data, length) != napi_ok) {
    nf_throw(env, NF_TYPE_ERROR, "EINVAL", "%s must be an ArrayBuffer returned by map()", name);
    return false;
  }
  return true;
}
