/*
 * nativefile's memory-map addon: real mmap(2) for Node through N-API.
 *
 *   map(fd, offset, length, writable) -> ArrayBuffer over the mapping. The mapping is shared
 *     (writes reach the file) when writable, private copy-on-write otherwise, so that writes
 *     through a view of a read-only map change memory only and never fault. It is unmapped
 *     when the ArrayBuffer is garbage-collected: buffers outlive the file that made them.
 *   sync(arrayBuffer, offset, length) -> undefined: msync(MS_SYNC) of that range.
 *   pageSize() -> the system page size (offsets must be multiples of it).
 *
 * Errors are thrown with `code` set to the errno name (ENOMEM, EACCES, ...).
 */
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *errno_name(int error) {
  switch (error) {
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case ENODEV: return "ENODEV";
    case ENOMEM: return "ENOMEM";
    case EOVERFLOW: return "EOVERFLOW";
    case EPERM: return "EPERM";
    default: return "EIO";
  }
}

static napi_value throw_errno(napi_env env, const char *call, int error) {
  char message[160];
  snprintf(message, sizeof message, "%s failed: %s", call, strerror(error));
  napi_throw_error(env, errno_name(error), message);
  return NULL;
}

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static int get_int64(napi_env env, napi_value value, int64_t *out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int64_t fd, offset, length;
  bool writable;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4 ||
      !get_int64(env, argv[0], &fd) || !get_int64(env, argv[1], &offset) ||
      !get_int64(env, argv[2], &length) || napi_get_value_bool(env, argv[3], &writable) != napi_ok ||
      length <= 0 || offset < 0) {
    napi_throw_type_error(env, "EINVAL", "map(fd, offset, length > 0, writable) expected");
    return NULL;
  }
  int protection = PROT_READ | PROT_WRITE;
  int flags = writable ? MAP_SHARED : MAP_PRIVATE;
  void *data = mmap(NULL, (size_t)length, protection, flags, (int)fd, (off_t)offset);
  if (data == MAP_FAILED) return throw_errno(env, "mmap", errno);
  napi_value buffer;
  napi_status status = napi_create_external_arraybuffer(
      env, data, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer);
  if (status != napi_ok) {
    munmap(data, (size_t)length);
    napi_throw_error(env, "ENOMEM", "could not create an ArrayBuffer over the mapping");
    return NULL;
  }
  return buffer;
}

static napi_value sync_range(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *data;
  size_t byte_length;
  int64_t offset, length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_arraybuffer_info(env, argv[0], &data, &byte_length) != napi_ok ||
      !get_int64(env, argv[1], &offset) || !get_int64(env, argv[2], &length) || offset < 0 ||
      length < 0 || (uint64_t)(offset + length) > byte_length) {
    napi_throw_type_error(env, "EINVAL", "sync(arrayBuffer, offset, length) expected, inside the buffer");
    return NULL;
  }
  if (length == 0) return NULL;
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t start = (uintptr_t)data + (uintptr_t)offset;
  uintptr_t aligned = start - start % (uintptr_t)page;
  if (msync((void *)aligned, (size_t)(start - aligned + (uintptr_t)length), MS_SYNC) != 0) {
    return throw_errno(env, "msync", errno);
  }
  return NULL;
}

static napi_value page_size(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int64(env, sysconf(_SC_PAGESIZE), &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"map", NULL, map_file, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sync", NULL, sync_range, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pageSize", NULL, page_size, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
