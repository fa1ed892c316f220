import {
  type HeapSnapshot,
  type MemsOptions,
  mems_finish,
  mems_free,
  mems_get,
  mems_init,
  mems_malloc,
  mems_print_stats,
  mems_stats,
  mems_view_as,
} from '@mems/api';
import { readInt32At, writeInt32At } from '@mems/os/mmap';

/** How {@link runSeedExample} talks to the world. */
export interface SeedExampleIo {
  /** Prints program text (the C program's `printf`). */
  print(text: string): void;
  /** Prints the stats (the C program's `mems_print_stats()`). */
  printStats(): void;
  /** Called with the heap's snapshot just before `mems_finish`, for pictures. */
  beforeFinish?(snapshot: HeapSnapshot): void;
}

/**
 * The seed's example program, step by step: init; ten
 * `mems_malloc(1000)` printing each virtual address; 200 written through the physical address of
 * element 1 of the first array and read back as int element 1 through the physical address of
 * element 0; stats; free the fourth array; stats; malloc again (it lands in the freed hole);
 * stats; finish. With `rawAccess` the int goes through the raw address itself (koffi), which
 * proves the address is real; without it (mock provider) through views of the same bytes.
 * @param options the `mems_init` options.
 * @param rawAccess whether to write and read through the physical addresses themselves.
 * @param io where the output goes.
 * @throws MemsError from any MeMS call (MeMS is then finished before the error propagates).
 */
export function runSeedExample(options: MemsOptions, rawAccess: boolean, io: SeedExampleIo): void {
  mems_init(options);
  try {
    io.print('\n------- Allocated virtual addresses [mems_malloc] -------\n');
    const arrays: number[] = [];
    for (let i = 0; i < 10; i++) {
      arrays.push(mems_malloc(250 * 4));
      io.print(`Virtual address: ${arrays[i]}\n`);
    }

    io.print('\n------ Assigning value to Virtual address [mems_get] -----\n');
    const first = arrays[0]!;
    // ptr[1] = 200, through the physical address of element 1.
    const element1 = mems_get(first + 4);
    if (rawAccess) writeInt32At(element1, 200);
    else mems_view_as(Int32Array, first + 4, 1)[0] = 200;
    const element0 = mems_get(first);
    io.print(`Virtual address: ${first}\tPhysical Address: ${element0}\n`);
    // Read int element 1 through the physical address of element 0.
    const value = rawAccess ? readInt32At(element0 + 4n) : mems_view_as(Int32Array, first, 2)[1];
    io.print(`Value written: ${value}\n`);

    io.print('\n--------- Printing Stats [mems_print_stats] --------\n');
    io.printStats();
    io.print('\n--------- Freeing up the memory [mems_free] --------\n');
    mems_free(arrays[3]!);
    io.printStats();
    arrays[3] = mems_malloc(250 * 4);
    io.printStats();

    io.print('\n--------- Unmapping all memory [mems_finish] --------\n\n');
    io.beforeFinish?.(mems_stats());
  } catch (error) {
    mems_finish();
    throw error;
  }
  mems_finish();
}

/** The standard output of the example: `process.stdout` and the real `mems_print_stats`. */
export const STDOUT_IO: SeedExampleIo = {
  print: (text) => {
    process.stdout.write(text);
  },
  printStats: mems_print_stats,
};
