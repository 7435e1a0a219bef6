/*
 * nativefile's memory-map addon: real mmap(2) for Node through N-API.
 *
 *   map(fd, offset, length, writable) -> ArrayBuffer over the mapping. The mapping is shared
 *     (writes reach the file) when writable, private copy-on-write otherwise, so that writes
 *     through a view of a read-only map change memory only and never fault. It is unmapped
 *     when the ArrayBuffer is garbage-collected: buffers outlive the file that made them.
 *     `offset` must be a multiple of pageSize(); `length` must be > 0.
 *   sync(mapping, offset, length) -> undefined: msync(MS_SYNC) of that range; throws ESTALE
 *     when the mapping is stale (what was written past the file's new end is lost).
 *   isStale(mapping) -> boolean: whether an access past the end of the mapped file (it was
 *     truncated after mapping) faulted and was answered with zeros; see registry.h.
 *   pageSize() -> the system page size. apiVersion, maxMappings: numbers.
 *
 * The addon never opens or closes descriptors: `fd` belongs to the caller, and mapping does
 * not keep it (the kernel holds its own reference to the file).
 * Errors carry `code`: see errors.h.
 */
#include <errno.h>
#include <limits.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "errors.h"
#include "registry.h"

/* Bumped whenever the functions above change; the TypeScript loader checks it. */
#define NF_API_VERSION 2

/* What a mapping's ArrayBuffer finalizer needs; owned by the ArrayBuffer once it exists. */
struct mapping {
  void *data;
  size_t length;
  long slot;
  /* Set while napi_create_external_arraybuffer runs; see map_file for why. */
  bool creating;
  bool unmapped;
};

static void unmap(struct mapping *mapping) {
  if (mapping->unmapped) return;
  mapping->unmapped = true;
  /* Withdrawn from the registry before the address range can be reused by another mmap. */
  nf_registry_remove(mapping->slot);
  munmap(mapping->data, mapping->length);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  struct mapping *mapping = hint;
  unmap(mapping);
  if (!mapping->creating) free(mapping);
}

/* Throws RangeError EINVAL unless the ArrayBuffer came from map() and is still mapped. */
static long find_mapping(napi_env env, napi_value value, void **data, size_t *length) {
  if (!nf_get_arraybuffer(env, value, "mapping", data, length)) return -1;
  long slot = *length > 0 ? nf_registry_find(*data, *length) : -1;
  if (slot < 0) nf_throw(env, NF_TYPE_ERROR, "EINVAL", "mapping must be an ArrayBuffer returned by map()");
  return slot;
}

static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  uint64_t fd, offset, length;
  bool writable;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    return nf_throw(env, NF_TYPE_ERROR, "EINVAL", "map(fd, offset, length, writable) takes 4 arguments");
  }
  if (!nf_get_index(env, argv[0], "fd", INT_MAX, &fd) ||
      !nf_get_index(env, argv[1], "offset", INT64_MAX, &offset) ||
      !nf_get_index(env, argv[2], "length", SIZE_MAX, &length)) {
    return NULL;
  }
  if (napi_get_value_bool(env, argv[3], &writable) != napi_ok) {
    return nf_throw(env, NF_TYPE_ERROR, "EINVAL", "writable must be a boolean");
  }
  if (length == 0) {
    return nf_throw(env, NF_RANGE_ERROR, "EINVAL", "length must be > 0: mmap cannot map 0 bytes");
  }
  if (offset % nf_page_size() != 0) {
    return nf_throw(env, NF_RANGE_ERROR, "EINVAL", "offset %llu is not a multiple of the page size %zu",
                    (unsigned long long)offset, nf_page_size());
  }
  /* Both are below 2^53 (nf_get_index), so the sum cannot overflow off_t. */
  int flags = writable ? MAP_SHARED : MAP_PRIVATE;
  void *data = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, flags, (int)fd, (off_t)offset);
  if (data == MAP_FAILED) {
    int error = errno;
    char what[128];
    snprintf(what, sizeof what, "cannot map %llu bytes at offset %llu of descriptor %d",
             (unsigned long long)length, (unsigned long long)offset, (int)fd);
    return nf_throw_errno(env, "mmap", error, what);
  }

  struct mapping *mapping = malloc(sizeof *mapping);
  if (mapping == NULL) {
    munmap(data, (size_t)length);
    return nf_throw(env, NF_ERROR, "ENOMEM", "out of memory for the mapping's record");
  }
  *mapping = (struct mapping){data, (size_t)length, nf_registry_add(data, (size_t)length), true, false};
  if (mapping->slot < 0) {
    munmap(data, (size_t)length);
    free(mapping);
    return nf_throw(env, NF_ERROR, "ENOMEM",
                    "too many live memory maps (%d): let buffers over earlier maps be collected",
                    NF_MAX_MAPPINGS);
  }

  napi_value buffer;
  napi_status status = napi_create_external_arraybuffer(env, data, (size_t)length, finalize, mapping, &buffer);
  mapping->creating = false;
  if (status == napi_ok) return buffer;
  /*
   * When Node refuses the buffer (longer than its Buffer kMaxLength: 4 GiB on Node 20) it
   * calls the finalizer itself: at once on some versions (then the record is ours to free),
   * from a later setImmediate on others (then the finalizer unmaps and frees it). Unmapping
   * here as well could unmap whatever reuses the range in between.
   */
  if (mapping->unmapped) free(mapping);
  /* Node's own exception (ERR_BUFFER_TOO_LARGE) gives way to one with an errno-style code. */
  bool pending = false;
  napi_value ignored;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &ignored);
  return nf_throw(env, NF_RANGE_ERROR, "EINVAL", "Node could not make an ArrayBuffer of %llu bytes over the mapping%s",
                  (unsigned long long)length, pending ? " (longer than this Node allows)" : "");
}

static napi_value sync_range(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *data;
  size_t byte_length;
  uint64_t offset, length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    return nf_throw(env, NF_TYPE_ERROR, "EINVAL", "sync(mapping, offset, length) takes 3 arguments");
  }
  long slot = find_mapping(env, argv[0], &data, &byte_length);
  if (slot < 0 || !nf_get_index(env, argv[1], "offset", byte_length, &offset) ||
      !nf_get_index(env, argv[2], "length", byte_length - offset, &length)) {
    return NULL;
  }
  if (nf_registry_is_stale(slot)) {
    return nf_throw(env, NF_ERROR, "ESTALE",
                    "the mapped file shrank under this mapping: what was written past its new end is lost");
  }
  if (length == 0) return NULL;
  /* msync wants a page-aligned start; the mapping itself starts on a page. */
  uintptr_t start = (uintptr_t)data + (uintptr_t)offset;
  uintptr_t aligned = start - start % nf_page_size();
  if (msync((void *)aligned, (size_t)(start - aligned + length), MS_SYNC) != 0) {
    return nf_throw_errno(env, "msync", errno, "cannot write the mapping back to the file");
  }
  return NULL;
}

static napi_value is_stale(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data;
  size_t byte_length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) {
    return nf_throw(env, NF_TYPE_ERROR, "EINVAL", "isStale(mapping) takes 1 argument");
  }
  long slot = find_mapping(env, argv[0], &data, &byte_length);
  if (slot < 0) return NULL;
  napi_value result;
  napi_get_boolean(env, nf_registry_is_stale(slot), &result);
  return result;
}

static napi_value page_size(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int64(env, (int64_t)nf_page_size(), &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  /*
   * NATIVEFILE_MMAP_SIGBUS=default keeps the default action (the process dies on a fault past
   * the end of a mapped file, with a core dump where enabled): for debugging, and for tests
   * that show what the handler prevents.
   */
  const char *sigbus = getenv("NATIVEFILE_MMAP_SIGBUS");
  int error = sigbus != NULL && strcmp(sigbus, "default") == 0 ? 0 : nf_registry_install();
  if (error != 0) return nf_throw_errno(env, "sigaction", error, "cannot install the SIGBUS handler");
  napi_value api_version, max_mappings;
  napi_create_int32(env, NF_API_VERSION, &api_version);
  napi_create_int32(env, NF_MAX_MAPPINGS, &max_mappings);
  napi_property_descriptor properties[] = {
      {"map", NULL, map_file, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sync", NULL, sync_range, NULL, NULL, NULL, napi_enumerable, NULL},
      {"isStale", NULL, is_stale, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pageSize", NULL, page_size, NULL, NULL, NULL, napi_enumerable, NULL},
      {"apiVersion", NULL, NULL, NULL, NULL, api_version, napi_enumerable, NULL},
      {"maxMappings", NULL, NULL, NULL, NULL, max_mappings, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
