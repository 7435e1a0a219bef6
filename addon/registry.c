/*
 * Lock-free registry of live mappings and the SIGBUS handler (see registry.h for the why).
 *
 * Each slot is a small seqlock: `seq` is odd while the owning thread writes the slot and even
 * when it is stable; `start == 0` means free. Writers (map and the finalizer that unmaps, on
 * any thread) claim a free slot with a compare-and-swap on `seq`, so they never wait for each
 * other. Readers, the signal handler above all, read `seq`, the fields, then `seq` again, and
 * ignore a slot that changed or is being written: a slot being written is a mapping not yet
 * handed to JavaScript or already collected, so no access can be faulting inside it. All
 * fields are C11 atomics that are lock-free on the targets we build for (checked below), which
 * is what makes reading them from a signal handler safe.
 */
#include "registry.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#if ATOMIC_LONG_LOCK_FREE != 2 || ATOMIC_INT_LOCK_FREE != 2 || ATOMIC_POINTER_LOCK_FREE != 2
#error "the SIGBUS handler needs lock-free atomics"
#endif

struct slot {
  atomic_uint seq;
  atomic_uintptr_t start;
  atomic_size_t length;
  atomic_int stale;
};

static struct slot slots[NF_MAX_MAPPINGS];
/* Slots at or past this index have never been used: the handler scans only below it. */
static atomic_size_t slots_used;
/* Read once; atomic because any thread may be first to ask, the handler included. */
static atomic_size_t page_size;
static struct sigaction previous_action;
/* 0: not installed, 1: a thread is installing, 2: done (install_error says how it went). */
static atomic_int install_state;
static int install_error;

size_t nf_page_size(void) {
  size_t size = atomic_load(&page_size);
  if (size == 0) {
    size = (size_t)sysconf(_SC_PAGESIZE);
    atomic_store(&page_size, size);
  }
  return size;
}

long nf_registry_add(void *start, size_t length) {
  for (size_t index = 0; index < NF_MAX_MAPPINGS; index++) {
    struct slot *slot = &slots[index];
    unsigned seq = atomic_load(&slot->seq);
    if ((seq & 1) != 0 || atomic_load(&slot->start) != 0) continue;
    if (!atomic_compare_exchange_strong(&slot->seq, &seq, seq + 1)) continue;
    /* Ours now (seq is odd). Raise the scan limit before the slot becomes readable. */
    size_t used = atomic_load(&slots_used);
    while (used < index + 1 && !atomic_compare_exchange_weak(&slots_used, &used, index + 1)) {
    }
    atomic_store(&slot->stale, 0);
    atomic_store(&slot->length, length);
    atomic_store(&slot->start, (uintptr_t)start);
    atomic_fetch_add(&slot->seq, 1);
    return (long)index;
  }
  return -1;
}

void nf_registry_remove(long index) {
  struct slot *slot = &slots[index];
  atomic_fetch_add(&slot->seq, 1);
  atomic_store(&slot->start, 0);
  atomic_store(&slot->length, 0);
  atomic_fetch_add(&slot->seq, 1);
}

/*
 * Reads one slot consistently: false if it is free, being written, or changed under us.
 * Async-signal-safe: plain atomic loads, no waiting.
 */
static bool read_slot(size_t index, uintptr_t *start, size_t *length) {
  struct slot *slot = &slots[index];
  unsigned before = atomic_load(&slot->seq);
  if ((before & 1) != 0) return false;
  *start = atomic_load(&slot->start);
  *length = atomic_load(&slot->length);
  return *start != 0 && atomic_load(&slot->seq) == before;
}

long nf_registry_find(const void *start, size_t length) {
  size_t used = atomic_load(&slots_used);
  for (size_t index = 0; index < used; index++) {
    uintptr_t slot_start;
    size_t slot_length;
    if (read_slot(index, &slot_start, &slot_length) && slot_start == (uintptr_t)start &&
        slot_length == length) {
      return (long)index;
    }
  }
  return -1;
}

bool nf_registry_is_stale(long index) {
  return atomic_load(&slots[index].stale) != 0;
}

/* The slot whose mapping holds `address`, or -1. Async-signal-safe. */
static long slot_holding(uintptr_t address) {
  size_t used = atomic_load(&slots_used);
  for (size_t index = 0; index < used; index++) {
    uintptr_t start;
    size_t length;
    if (read_slot(index, &start, &length) && address - start < length) return (long)index;
  }
  return -1;
}

/*
 * Hands a SIGBUS that is not ours to whoever would have had it without us. For the default
 * action, restore it: returning from a fault re-runs the access, which faults again and now
 * kills the process as it would have; a SIGBUS sent with kill() is raised again instead (it
 * stays pending until this handler returns).
 */
static void chain(int signal_number, siginfo_t *info, void *context) {
  if ((previous_action.sa_flags & SA_SIGINFO) != 0 && previous_action.sa_sigaction != NULL) {
    previous_action.sa_sigaction(signal_number, info, context);
    return;
  }
  void (*handler)(int) = previous_action.sa_handler;
  bool sent = info->si_code <= 0;
  if (handler == SIG_IGN && sent) return;
  if (handler != SIG_DFL && handler != SIG_IGN) {
    handler(signal_number);
    return;
  }
  struct sigaction default_action = {0};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(SIGBUS, &default_action, NULL);
  if (sent) raise(signal_number);
}

/*
 * Only async-signal-safe work here: atomic loads and stores, mmap (a plain system call on
 * Linux) and sigaction. BUS_ADRERR is what an access past the end of a file's pages gives
 * (and an unreadable page); hardware memory errors (BUS_MCEERR_*) and BUS_ADRALN are never
 * masked.
 */
static void on_sigbus(int signal_number, siginfo_t *info, void *context) {
  int saved_errno = errno;
  long index = info->si_code == BUS_ADRERR ? slot_holding((uintptr_t)info->si_addr) : -1;
  if (index >= 0) {
    size_t size = atomic_load(&page_size);
    uintptr_t page = (uintptr_t)info->si_addr & ~(uintptr_t)(size - 1);
    /* Stale first, so a thread that sees the zeros can also see why. */
    atomic_store(&slots[index].stale, 1);
    /*
     * Only the faulting page is replaced: memory that did not fault is never changed (the
     * file may have grown back under later pages), and each further page past the end
     * faults on its own, one signal per page.
     */
    void *zeros = mmap((void *)page, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (zeros != MAP_FAILED) {
      errno = saved_errno;
      return;
    }
    /* No memory for the zero page (or too many mappings): nothing can make the access work. */
  }
  errno = saved_errno;
  chain(signal_number, info, context);
}

static void install(void) {
  nf_page_size();
  struct sigaction action = {0};
  action.sa_sigaction = on_sigbus;
  sigemptyset(&action.sa_mask);
  /* SA_ONSTACK: run on the alternate stack when the faulting thread has one. */
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  if (sigaction(SIGBUS, &action, &previous_action) != 0) install_error = errno;
}

/*
 * Once per process, whichever thread loads the addon first (main thread or a Worker). Not
 * pthread_once: that would tie the prebuilt binary to glibc 2.34 or later.
 */
int nf_registry_install(void) {
  int state = 0;
  if (atomic_compare_exchange_strong(&install_state, &state, 1)) {
    install();
    atomic_store(&install_state, 2);
  }
  while (atomic_load(&install_state) != 2) sched_yield();
  return install_error;
}
