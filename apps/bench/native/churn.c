/*
 * The physical reference for the churn workload: glibc malloc/free in C, replaying the same
 * script as the JavaScript contenders (written by the benchmark to a file), timed the same
 * way: calibrate a batch of about target_ms, warm up, then time `trials` batches with one
 * clock read each. Prints one JSON line:
 *   {"samples":[ns per pair...],"pairsPerTrial":N,"totalPairs":N,"peakMappedBytes":N}
 * Usage: churn SCRIPT TRIALS TARGET_MS WARMUP_MS
 * Build: cc -O2 -o churn churn.c
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint32_t live, steps;
static uint16_t *fill_sizes, *sizes;
static uint32_t *victims;
static void **slots;
static uint64_t pos, total_pairs;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void run(uint64_t count) {
  total_pairs += count;
  while (count > 0) {
    uint64_t end = pos + count < steps ? pos + count : steps;
    for (uint64_t k = pos; k < end; k++) {
      uint32_t i = victims[k];
      free(slots[i]);
      slots[i] = malloc(sizes[k]);
      if (slots[i] == NULL) {
        fprintf(stderr, "malloc(%u) failed\n", sizes[k]);
        exit(1);
      }
    }
    count -= end - pos;
    pos = end == steps ? 0 : end;
  }
}

static size_t mapped_bytes(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 mi = mallinfo2();
  return mi.arena + mi.hblkhd;
#else
  return 0;
#endif
}

static void *read_exact(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (p == NULL || fread(p, 1, bytes, f) != bytes) {
    fprintf(stderr, "cannot read the script\n");
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
    fprintf(stderr, "cannot read the script header\n");
    return 1;
  }
  live = header[0];
  steps = header[1];
  fill_sizes = read_exact(f, (size_t)live * 2);
  victims = read_exact(f, (size_t)steps * 4);
  sizes = read_exact(f, (size_t)steps * 2);
  fclose(f);
  slots = calloc(live, sizeof *slots);
  size_t base = mapped_bytes(); /* the script and the slot array, not the blocks */
  for (uint32_t i = 0; i < live; i++) slots[i] = malloc(fill_sizes[i]);
  size_t peak = mapped_bytes();

  uint64_t units = 1;
  double elapsed;
  for (;;) {
    double t0 = now_ns();
    run(units);
    elapsed = now_ns() - t0;
    if (elapsed >= 2e6 || units >= (1ull << 34)) break;
    units *= 2;
  }
  double per = elapsed / (double)units;
  uint64_t per_trial = (uint64_t)(target_ns / (per > 0.01 ? per : 0.01) + 0.5);
  if (per_trial < 1) per_trial = 1;
  double w0 = now_ns();
  uint64_t warmed = 0;
  while (warmed < (per_trial > live ? per_trial : live) || now_ns() - w0 < warmup_ns) {
    run(per_trial);
    warmed += per_trial;
  }
  printf("{\"samples\":[");
  for (int t = 0; t < trials; t++) {
    double t0 = now_ns();
    run(per_trial);
    double t1 = now_ns();
    size_t m = mapped_bytes();
    if (m > peak) peak = m;
    printf("%s%.4f", t ? "," : "", (t1 - t0) / (double)per_trial);
  }
  printf("],\"pairsPerTrial\":%llu,\"totalPairs\":%llu,\"peakMappedBytes\":%zu}\n", (unsigned long long)per_trial,
         (unsigned long long)total_pairs, peak > base ? peak - base : 0);
  for (uint32_t i = 0; i < live; i++) free(slots[i]);
  return 0;
}
