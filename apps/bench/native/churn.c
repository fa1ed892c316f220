/*
 * The physical reference for the churn workload: glibc malloc/free in C, replaying the same
 * script as the JavaScript contenders (written by the benchmark to a file), timed the same
 * way: calibrate a batch of about target_ms, warm up, then time `trials` batches with one
 * clock read each. Prints one JSON line:
 *   {"samples":[ns per pair...],"pairsPerTrial":N,"totalPairs":N,"peakMappedBytes":N}
 * Usage: churn SCRIPT TRIALS TARGET_MS WARMUP_MS [touch|access]
 * With `touch` (the churn-touch workload), every new block gets a stamp in its first and last
 * 8 bytes (plain stores), and both ends are read back and checked just before its free.
 * With `access` (the access workload), the script goes on with uint32 n, then n block indices
 * (uint32) and n byte offsets (uint32): the fill's blocks are allocated, and each step writes
 * the double k + 0.5 at block + offset and reads it back through a volatile pointer (so the
 * compiler does neither drop nor forward either); the sums read are checked batch by batch.
 * "pairs" in the output are then accesses.
 * Build: cc -O2 -o churn churn.c
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint32_t live, steps;
static uint16_t *fill_sizes, *sizes;
static uint32_t *victims;
static void **slots;
static uint32_t *slot_sizes;
static uint64_t *stamps;
static uint64_t next_stamp;
static uint64_t pos, total_pairs;
static uint32_t accesses;
static uint32_t *access_blocks, *access_offsets;

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

static void stamp_block(uint32_t i, uint32_t size) {
  uint64_t s = ++next_stamp;
  stamps[i] = s;
  slot_sizes[i] = size;
  memcpy(slots[i], &s, 8);
  memcpy((char *)slots[i] + size - 8, &s, 8);
}

static void run_touch(uint64_t count) {
  total_pairs += count;
  while (count > 0) {
    uint64_t end = pos + count < steps ? pos + count : steps;
    for (uint64_t k = pos; k < end; k++) {
      uint32_t i = victims[k];
      uint64_t first, last;
      memcpy(&first, slots[i], 8);
      memcpy(&last, (char *)slots[i] + slot_sizes[i] - 8, 8);
      if (first != stamps[i] || last != stamps[i]) {
        fprintf(stderr, "block %u lost its stamp\n", i);
        exit(1);
      }
      free(slots[i]);
      slots[i] = malloc(sizes[k]);
      if (slots[i] == NULL) {
        fprintf(stderr, "malloc(%u) failed\n", sizes[k]);
        exit(1);
      }
      stamp_block(i, sizes[k]);
    }
    count -= end - pos;
    pos = end == steps ? 0 : end;
  }
}

static void run_access(uint64_t count) {
  total_pairs += count;
  while (count > 0) {
    uint64_t end = pos + count < accesses ? pos + count : accesses;
    double sum = 0;
    for (uint64_t k = pos; k < end; k++) {
      volatile double *p = (volatile double *)((char *)slots[access_blocks[k]] + access_offsets[k]);
      *p = (double)k + 0.5;
      sum += *p;
    }
    double expected = ((double)end * (double)end - (double)pos * (double)pos) / 2;
    if (sum != expected) {
      fprintf(stderr, "accesses %llu..%llu read back %f, wrote %f\n", (unsigned long long)pos,
              (unsigned long long)end - 1, sum, expected);
      exit(1);
    }
    count -= end - pos;
    pos = end == accesses ? 0 : end;
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
  int touch = argc == 6 && strcmp(argv[5], "touch") == 0;
  int access = argc == 6 && strcmp(argv[5], "access") == 0;
  if (argc != 5 && !touch && !access) {
    fprintf(stderr, "usage: %s SCRIPT TRIALS TARGET_MS WARMUP_MS [touch|access]\n", argv[0]);
    return 2;
  }
  void (*step)(uint64_t) = touch ? run_touch : access ? run_access : run;
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
  if (access) {
    uint32_t *n = read_exact(f, 4);
    accesses = *n;
    if (accesses == 0) {
      fprintf(stderr, "the access script is empty\n");
      return 1;
    }
    access_blocks = read_exact(f, (size_t)accesses * 4);
    access_offsets = read_exact(f, (size_t)accesses * 4);
  }
  fclose(f);
  slots = calloc(live, sizeof *slots);
  slot_sizes = calloc(live, sizeof *slot_sizes);
  stamps = calloc(live, sizeof *stamps);
  size_t base = mapped_bytes(); /* the script and the slot arrays, not the blocks */
  for (uint32_t i = 0; i < live; i++) {
    slots[i] = malloc(fill_sizes[i]);
    if (slots[i] == NULL) {
      fprintf(stderr, "malloc(%u) failed\n", fill_sizes[i]);
      return 1;
    }
    if (touch) stamp_block(i, fill_sizes[i]);
  }
  size_t peak = mapped_bytes();

  uint64_t units = 1;
  double elapsed;
  for (;;) {
    double t0 = now_ns();
    step(units);
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
    step(per_trial);
    warmed += per_trial;
  }
  printf("{\"samples\":[");
  for (int t = 0; t < trials; t++) {
    double t0 = now_ns();
    step(per_trial);
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
