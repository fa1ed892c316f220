/*
 * An LD_PRELOAD tracer of malloc, calloc, realloc and free. Every call that reaches glibc is
 * written, in the order the calls happened, to MEMS_TRACE_DIR/<pid>.log (one file per
 * process, so a compiler driver and the cc1 it runs each get their own), one line a call:
 *
 *   m <size> <result>         malloc
 *   c <count> <size> <result> calloc
 *   r <pointer> <size> <result> realloc
 *   f <pointer>               free
 *
 * Pointers and sizes are lower-case hex without 0x. The benchmark's converter
 * (src/traces/raw-log.ts) turns these logs into the a/f/r replay format of apps/demo.
 *
 * Build: cc -O2 -shared -fPIC -o malloc-tracer.so malloc-tracer.c -ldl -pthread
 * Use:   MEMS_TRACE_DIR=/tmp/t LD_PRELOAD=$PWD/malloc-tracer.so some-program
 *
 * Care points:
 * - dlsym itself may call calloc before the real calloc is known: such calls are served from a
 *   small static arena (never freed to glibc, never logged).
 * - Formatting and write(2) do not allocate; a per-thread flag makes any allocation made while
 *   logging (there should be none) go straight to glibc unlogged, so the tracer cannot recurse.
 * - One mutex orders the real call and its log line together, so a block freed by one thread
 *   and handed out again to another is always logged as free-then-malloc.
 * - After fork the child starts a fresh buffer and its own file; the buffer is flushed when full,
 *   at exit, and before fork. Calls made after the destructor ran are not logged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static char bootstrap_arena[1 << 16];
static size_t bootstrap_used;
static int resolving;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* initial-exec: a dynamic TLS access could itself call malloc in a new thread. */
static __thread int in_tracer __attribute__((tls_model("initial-exec")));
static int log_fd = -1;
static int disabled;
static char buffer[1 << 16];
static size_t buffered;

static void resolve(void) {
  if (real_malloc != NULL || resolving) return;
  resolving = 1;
  real_calloc = dlsym(RTLD_NEXT, "calloc");
  real_malloc = dlsym(RTLD_NEXT, "malloc");
  real_realloc = dlsym(RTLD_NEXT, "realloc");
  real_free = dlsym(RTLD_NEXT, "free");
  resolving = 0;
}

static int from_bootstrap(const void *p) {
  return (const char *)p >= bootstrap_arena && (const char *)p < bootstrap_arena + sizeof bootstrap_arena;
}

static void *bootstrap_alloc(size_t bytes) {
  size_t at = (bootstrap_used + 15) & ~(size_t)15;
  if (at + bytes > sizeof bootstrap_arena) return NULL;
  bootstrap_used = at + bytes;
  return bootstrap_arena + at; /* static storage: already zero */
}

static void flush_locked(void) {
  size_t done = 0;
  while (done < buffered) {
    ssize_t n = write(log_fd, buffer + done, buffered - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  buffered = 0;
}

static int open_log_locked(void) {
  if (log_fd >= 0) return 1;
  if (disabled) return 0;
  const char *dir = getenv("MEMS_TRACE_DIR");
  if (dir == NULL || strlen(dir) > 200) {
    disabled = 1;
    return 0;
  }
  char path[256];
  size_t len = strlen(dir);
  memcpy(path, dir, len);
  path[len++] = '/';
  /* the pid in decimal */
  char digits[24];
  int nd = 0;
  for (unsigned long pid = (unsigned long)getpid(); pid > 0 || nd == 0; pid /= 10) digits[nd++] = (char)('0' + pid % 10);
  while (nd > 0) path[len++] = digits[--nd];
  memcpy(path + len, ".log", 5);
  log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) disabled = 1;
  return log_fd >= 0;
}

static void put_char(char c) { buffer[buffered++] = c; }

static void put_hex(uint64_t v) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v != 0);
  put_char(' ');
  while (n > 0) put_char(digits[--n]);
}

/* Appends one line: op, then up to three hex fields. Called with the lock held. */
static void record_locked(char op, int fields, uint64_t a, uint64_t b, uint64_t c) {
  if (!open_log_locked()) return;
  if (buffered + 64 > sizeof buffer) flush_locked();
  put_char(op);
  if (fields > 0) put_hex(a);
  if (fields > 1) put_hex(b);
  if (fields > 2) put_hex(c);
  put_char('\n');
}

void *malloc(size_t size) {
  resolve();
  if (real_malloc == NULL) return bootstrap_alloc(size);
  if (in_tracer) return real_malloc(size);
  pthread_mutex_lock(&lock);
  in_tracer = 1;
  void *p = real_malloc(size);
  if (p != NULL) record_locked('m', 2, size, (uintptr_t)p, 0);
  in_tracer = 0;
  pthread_mutex_unlock(&lock);
  return p;
}

void *calloc(size_t count, size_t size) {
  if (real_calloc == NULL) {
    resolve();
    if (real_calloc == NULL) {
      size_t bytes;
      if (__builtin_mul_overflow(count, size, &bytes)) return NULL;
      return bootstrap_alloc(bytes);
    }
  }
  if (in_tracer) return real_calloc(count, size);
  pthread_mutex_lock(&lock);
  in_tracer = 1;
  void *p = real_calloc(count, size);
  if (p != NULL) record_locked('c', 3, count, size, (uintptr_t)p);
  in_tracer = 0;
  pthread_mutex_unlock(&lock);
  return p;
}

void *realloc(void *pointer, size_t size) {
  resolve();
  if (from_bootstrap(pointer)) {
    /* A bootstrap block moves to glibc (unlogged, like its allocation). */
    void *p = malloc(size);
    size_t left = (size_t)(bootstrap_arena + sizeof bootstrap_arena - (char *)pointer);
    if (p != NULL) memcpy(p, pointer, size < left ? size : left);
    return p;
  }
  if (real_realloc == NULL) return NULL;
  if (in_tracer) return real_realloc(pointer, size);
  pthread_mutex_lock(&lock);
  in_tracer = 1;
  void *p = real_realloc(pointer, size);
  if (p != NULL || size == 0) record_locked('r', 3, (uintptr_t)pointer, size, (uintptr_t)p);
  in_tracer = 0;
  pthread_mutex_unlock(&lock);
  return p;
}

void free(void *pointer) {
  if (pointer == NULL || from_bootstrap(pointer)) return;
  resolve();
  if (real_free == NULL) return;
  if (in_tracer) {
    real_free(pointer);
    return;
  }
  pthread_mutex_lock(&lock);
  in_tracer = 1;
  record_locked('f', 1, (uintptr_t)pointer, 0, 0);
  real_free(pointer);
  in_tracer = 0;
  pthread_mutex_unlock(&lock);
}

static void before_fork(void) {
  pthread_mutex_lock(&lock);
  if (log_fd >= 0) flush_locked();
}

static void after_fork_parent(void) { pthread_mutex_unlock(&lock); }

static void after_fork_child(void) {
  /* The parent's lines were flushed before the fork; the child writes its own file. */
  buffered = 0;
  if (log_fd >= 0) close(log_fd);
  log_fd = -1;
  pthread_mutex_unlock(&lock);
}

__attribute__((constructor)) static void tracer_start(void) {
  resolve();
  pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

__attribute__((destructor)) static void tracer_stop(void) {
  pthread_mutex_lock(&lock);
  if (log_fd >= 0) {
    flush_locked();
    close(log_fd);
  }
  log_fd = -1;
  disabled = 1;
  pthread_mutex_unlock(&lock);
}
