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
 *   syncAsync(mapping, offset, length) -> Promise<undefined>: the same msync on libuv's thread
 *     pool, so the event loop keeps turning while the kernel writes (tens of ms for 100 MiB).
 *     Arguments and staleness are checked at the call (it throws as sync does); the promise
 *     rejects with msync's errno error. It holds the mapping until msync returns, so the
 *     mapping cannot be unmapped (collected) under it.
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
#define NF_API_VERSION 3

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

/*
 * Reads sync's and syncAsync's arguments into the page-aligned range msync takes (msync
 * wants a page-aligned start; the mapping itself starts on a page). False, having thrown, on
 * bad arguments or a stale mapping.
 */
static bool sync_arguments(napi_env env, napi_callback_info info, const char *call, napi_value *mapping,
                           void **start, size_t *length) {
  size_t argc = 3;
  napi_value argv[3];
  void *data;
  size_t byte_length;
  uint64_t offset, count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    nf_throw(env, NF_TYPE_ERROR, "EINVAL", "%s(mapping, offset, length) takes 3 arguments", call);
    return false;
  }
  long slot = find_mapping(env, argv[0], &data, &byte_length);
  if (slot < 0 || !nf_get_index(env, argv[1], "offset", byte_length, &offset) ||
      !nf_get_index(env, argv[2], "length", byte_length - offset, &count)) {
    return false;
  }
  if (nf_registry_is_stale(slot)) {
    nf_throw(env, NF_ERROR, "ESTALE", "the mapped file shrank under this mapping: what was written past its new end is lost");
    return false;
  }
  uintptr_t first = (uintptr_t)data + (uintptr_t)offset;
  uintptr_t aligned = first - first % nf_page_size();
  *mapping = argv[0];
  *start = (void *)aligned;
  *length = count == 0 ? 0 : (size_t)(first - aligned + count);
  return true;
}

static napi_value sync_range(napi_env env, napi_callback_info info) {
  napi_value mapping;
  void *start;
  size_t length;
  if (!sync_arguments(env, info, "sync", &mapping, &start, &length) || length == 0) return NULL;
  if (msync(start, length, MS_SYNC) != 0) {
    return nf_throw_errno(env, "msync", errno, "cannot write the mapping back to the file");
  }
  return NULL;
}

/* One syncAsync call: made on the main thread, run on the pool, freed by sync_complete. */
struct sync_work {
  napi_async_work work;
  napi_deferred deferred;
  /* A strong reference to the mapping's ArrayBuffer: while it lives, nothing unmaps the range. */
  napi_ref mapping;
  void *start;
  size_t length;
  /* msync's errno, 0 on success; written on the pool thread, read after it is done. */
  int error;
};

static void sync_execute(napi_env env, void *data) {
  (void)env;
  struct sync_work *work = data;
  work->error = msync(work->start, work->length, MS_SYNC) == 0 ? 0 : errno;
}

/*
 * Settles the promise and frees everything, whatever happened: the promise must never be left
 * pending. napi_cancelled comes only when the environment tears down before the work ran.
 */
static void sync_complete(napi_env env, napi_status status, void *data) {
  struct sync_work *work = data;
  int error = status == napi_ok ? work->error : ECANCELED;
  napi_value value = NULL;
  if (error == 0) {
    napi_get_undefined(env, &value);
    napi_resolve_deferred(env, work->deferred, value);
  } else {
    value = nf_errno_error(env, "msync", error, "cannot write the mapping back to the file");
    if (value == NULL) napi_get_undefined(env, &value);
    napi_reject_deferred(env, work->deferred, value);
  }
  napi_delete_reference(env, work->mapping);
  napi_delete_async_work(env, work->work);
  free(work);
}

static napi_value sync_async(napi_env env, napi_callback_info info) {
  napi_value mapping, promise, name, value;
  void *start;
  size_t length;
  if (!sync_arguments(env, info, "syncAsync", &mapping, &start, &length)) return NULL;
  struct sync_work *work = calloc(1, sizeof *work);
  if (work == NULL) return nf_throw(env, NF_ERROR, "ENOMEM", "out of memory for a background msync");
  if (napi_create_promise(env, &work->deferred, &promise) != napi_ok) {
    free(work);
    return nf_throw(env, NF_ERROR, "ENOMEM", "cannot make the promise of a background msync");
  }
  if (length == 0) {
    napi_get_undefined(env, &value);
    napi_resolve_deferred(env, work->deferred, value);
    free(work);
    return promise;
  }
  work->start = start;
  work->length = length;
  napi_status status = napi_create_reference(env, mapping, 1, &work->mapping);
  if (status == napi_ok) status = napi_create_string_utf8(env, "nativefile.msync", NAPI_AUTO_LENGTH, &name);
  if (status == napi_ok) {
    status = napi_create_async_work(env, NULL, name, sync_execute, sync_complete, work, &work->work);
  }
  if (status == napi_ok) status = napi_queue_async_work(env, work->work);
  if (status == napi_ok) return promise;
  /* Not queued, so sync_complete will never run: settle and free here. */
  if (work->work != NULL) napi_delete_async_work(env, work->work);
  if (work->mapping != NULL) napi_delete_reference(env, work->mapping);
  value = nf_error(env, "EIO", "cannot start msync on the thread pool (N-API status %d)", (int)status);
  if (value == NULL) napi_get_undefined(env, &value);
  napi_reject_deferred(env, work->deferred, value);
  free(work);
  return promise;
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
      {"syncAsync", NULL, sync_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"isStale", NULL, is_stale, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pageSize", NULL, page_size, NULL, NULL, NULL, napi_enumerable, NULL},
      {"apiVersion", NULL, NULL, NULL, NULL, api_version, napi_enumerable, NULL},
      {"maxMappings", NULL, NULL, NULL, NULL, max_mappings, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
