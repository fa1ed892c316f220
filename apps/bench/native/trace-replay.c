/*
 * The native reference for the traces workload: replays a real program's allocation trace with
 * glibc malloc/free/realloc, timed like the JavaScript contenders (src/workloads/trace-replay.ts).
 * The trace comes as a file written by the benchmark (src/traces/trace-script.ts,
 * encodeTraceScript): uint32 n, uint32 blocks, then n op bytes (0 malloc, 1 free, 2 realloc),
 * n uint32 block slots and n uint32 sizes, little-endian.
 *
 * First an untimed measuring replay for the peak bytes held from the OS (mallinfo2 arena +
 * mmapped chunks). mallinfo2 walks the free lists, so it is called only when those figures can
 * have changed: when the program break moved (the arena grew or shrank) or when the operation
 * took or gave back a block of 64 KiB or more (glibc maps chunks itself only from 128 KiB up).
 * The same replay writes the first and last 8 bytes of every block of 16 bytes
 * or more written (so RSS counts the pages a program touches), the peak RSS (ru_maxrss). Then
 * rounds: each replays the whole trace (timed), then frees what is still live (untimed); two
 * rounds warm up, then `trials` trials of enough rounds for about target_ms each.
 * Prints one JSON line:
 *   {"samples":[ns per op...],"opsPerTrial":N,"totalOps":N,"peakMappedBytes":N,
 *    "peakRssBytes":N,"baseRssBytes":N}
 * Usage: trace-replay SCRIPT TRIALS TARGET_MS WARMUP_MS
 * Build: cc -O2 -o trace-replay trace-replay.c
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint32_t n, blocks;
static uint8_t *ops;
static uint32_t *slot_of, *sizes;
static void **slots;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t mapped_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 mi = mallinfo2();
  return mi.arena + mi.hblkhd;
#else
  return 0;
#endif
}

static size_t peak_rss(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (size_t)ru.ru_maxrss * 1024;
}

static size_t current_rss(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size = 0, resident = 0;
  if (f != NULL) {
    if (fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
    fclose(f);
  }
  return (size_t)resident * 4096;
}

static void fail(const char *what, uint32_t k) {
  fprintf(stderr, "%s failed at operation %u (size %u)\n", what, k, sizes[k]);
  exit(1);
}

static void step(uint32_t k) {
  uint32_t s = slot_of[k];
  switch (ops[k]) {
    case 0:
      slots[s] = malloc(sizes[k]);
      if (slots[s] == NULL) fail("malloc", k);
      break;
    case 1:
      free(slots[s]);
      slots[s] = NULL;
      break;
    default: {
      void *p = realloc(slots[s], sizes[k]);
      if (p == NULL) fail("realloc", k);
      slots[s] = p;
    }
  }
}

static void free_the_rest(void) {
  for (uint32_t s = 0; s < blocks; s++) {
    if (slots[s] == NULL) continue;
    free(slots[s]);
    slots[s] = NULL;
  }
}

static double round_ns(void) {
  double t0 = now_ns();
  for (uint32_t k = 0; k < n; k++) step(k);
  double elapsed = now_ns() - t0;
  free_the_rest();
  return elapsed;
}

/* The script and the slot arrays live outside glibc's heap, so that its figures are the trace's. */
static void *outside_heap(size_t bytes) {
  void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("mmap");
    exit(1);
  }
  return p;
}

static void *read_exact(FILE *f, size_t bytes) {
  void *p = outside_heap(bytes);
  if (fread(p, 1, bytes, f) != bytes) {
    fprintf(stderr, "cannot read the trace script\n");
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s SCRIPT TRIALS TARGET_MS WARMUP_MS\n", argv[0]);
    return 2;
  }
  int trials = atoi(argv[2]);
  double target_ns = atof(argv[3]) * 1e6, warmup_ns = atof(argv[4]) * 1e6;
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 1;
  }
  uint32_t header[2];
  if (fread(header, sizeof header, 1, f) != 1) {
    fprintf(stderr, "cannot read the trace header\n");
    return 1;
  }
  n = header[0];
  blocks = header[1];
  ops = read_exact(f, n);
  slot_of = read_exact(f, (size_t)n * 4);
  sizes = read_exact(f, (size_t)n * 4);
  fclose(f);
  for (uint32_t k = 0; k < n; k++) {
    if (slot_of[k] >= blocks || ops[k] > 2) {
      fprintf(stderr, "bad trace script at operation %u\n", k);
      return 1;
    }
  }
  slots = outside_heap((size_t)blocks * sizeof *slots);
  uint32_t *held = outside_heap((size_t)blocks * sizeof *held); /* each slot's size, for the check */
  size_t base_rss = current_rss();
  /* What glibc holds already (the arena stdio made for fopen) counts: glibc holds it for the trace too. */
  size_t peak = mapped_bytes();
  void *brk_seen = sbrk(0);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t before = held[slot_of[k]];
    step(k);
    uint32_t size = sizes[k];
    held[slot_of[k]] = ops[k] == 1 ? 0 : size;
    void *brk_now = sbrk(0);
    if (brk_now != brk_seen || size >= 65536 || before >= 65536) {
      brk_seen = brk_now;
      size_t m = mapped_bytes();
      if (m > peak) peak = m;
    }
    if (ops[k] != 1 && size >= 16) {
      uint64_t stamp = k;
      memcpy(slots[slot_of[k]], &stamp, 8);
      memcpy((char *)slots[slot_of[k]] + size - 8, &stamp, 8);
    }
  }
  size_t rss = peak_rss();
  free_the_rest();

  double warm = 0;
  int rounds = 0;
  double w0 = now_ns();
  while (rounds < 2 || now_ns() - w0 < warmup_ns) {
    warm = round_ns();
    rounds++;
  }
  long per_trial = (long)(target_ns / (warm > 1 ? warm : 1) + 0.5);
  if (per_trial < 1) per_trial = 1;
  printf("{\"samples\":[");
  for (int t = 0; t < trials; t++) {
    double elapsed = 0;
    for (long r = 0; r < per_trial; r++) elapsed += round_ns();
    printf("%s%.4f", t ? "," : "", elapsed / ((double)n * (double)per_trial));
  }
  printf("],\"opsPerTrial\":%llu,\"totalOps\":%llu,\"peakMappedBytes\":%zu,\"peakRssBytes\":%zu,\"baseRssBytes\":%zu}\n",
         (unsigned long long)n * (unsigned long long)per_trial,
         (unsigned long long)n * (unsigned long long)(per_trial * trials + rounds + 1), peak,
         rss, base_rss);
  return 0;
}
