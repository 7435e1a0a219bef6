/*
 * The registry of the addon's live mappings and the SIGBUS handler that reads it.
 *
 * A shared mapping of a file faults with SIGBUS when the page under an access lies past the
 * file's current end (the file was truncated after mapping it), or when the kernel cannot
 * read the page. The default action kills the process. The handler installed here recognises
 * faults inside a mapping this addon made, maps zeros over the faulting page so the access
 * completes, and marks that mapping stale; every other SIGBUS goes to the handler that was
 * installed before ours (or to the default action).
 *
 * The registry is process-wide: one copy of the addon serves the main thread and every
 * worker_threads Worker, and faults may come from any thread (libuv's pool reads and writes
 * buffers too). It is a fixed array of slots read without locks from the signal handler.
 */
#ifndef NATIVEFILE_REGISTRY_H
#define NATIVEFILE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Live mappings the handler can protect at once. Linux's default vm.max_map_count (65530)
 * caps a process's mappings anyway, so the registry fills up about when mmap itself starts
 * failing with ENOMEM. A map() beyond it is refused with ENOMEM rather than made unprotected.
 */
#define NF_MAX_MAPPINGS 65536

/* Installs the SIGBUS handler once per process (thread-safe); 0 or an errno value. */
int nf_registry_install(void);

/* The system page size, read once. */
size_t nf_page_size(void);

/* Publishes a mapping; its slot number, or -1 when the registry is full. */
long nf_registry_add(void *start, size_t length);

/* Withdraws a slot before its mapping is unmapped; only the slot's owner calls this. */
void nf_registry_remove(long slot);

/* The slot of the live mapping that starts at `start` and is `length` bytes long, or -1. */
long nf_registry_find(const void *start, size_t length);

/* Whether a fault past the file's end was absorbed in this slot's mapping. */
bool nf_registry_is_stale(long slot);

#endif
