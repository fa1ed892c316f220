import { createMockProvider, createSharedMemoryProvider, isMemsError, SharedMutex } from '@mems/os';
import { describe, expect, it } from 'vitest';
import { attachMems, createSharedMems, type SharedMemsHandle } from './shared-mems.js';

const small = () => createSharedMemoryProvider({ maxBytes: 256 * 4096 });

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (!isMemsError(error)) throw error;
    return error.code;
  }
  return 'no error';
}

describe('attachMems with a bad handle', () => {
  it('is EINVAL for anything that is not a shared heap handle, and attaches nothing', () => {
    const mems = createSharedMems({ provider: small() });
    const good = mems.handle;
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const junk: unknown[] = [
      undefined,
      null,
      42,
      'mems-shared-heap',
      [],
      {},
      revoked.proxy,
      { kind: 'mems-shared-heap' },
      { ...good, kind: 'other' },
      { ...good, version: 1 },
      { ...good, version: 2 },
      { ...good, version: 4 },
      { ...good, threads: new SharedArrayBuffer(4096) },
      { ...good, threads: new ArrayBuffer(4096) },
      { ...good, threads: 5 },
      { ...good, control: new SharedArrayBuffer(256) },
      { ...good, control: new SharedArrayBuffer(128) },
      { ...good, control: new ArrayBuffer(128) },
      { ...good, arena: {} },
      { ...good, arena: { ...good.arena, data: new SharedArrayBuffer(8) } },
      { ...good, provider: { kind: 'mems-shared-memory-provider' } },
      { ...good, provider: 7 },
      Object.defineProperty({ ...good }, 'control', {
        get() {
          throw new Error('no');
        },
      }),
    ];
    for (const [index, handle] of junk.entries()) {
      let caught: unknown;
      try {
        attachMems(handle as SharedMemsHandle);
      } catch (error) {
        caught = error;
      }
      expect(isMemsError(caught), `junk handle #${index}`).toBe(true);
      expect((caught as { code: string }).code).toBe('EINVAL');
      expect((caught as Error).message).toMatch(/^attachMems\(/);
    }
    expect(mems.malloc(10)).toBe(1000); // the heap is untouched
    mems.finish();
  });
});

describe('createSharedMems with bad options', () => {
  it('refuses a provider other threads cannot open, a custom policy factory and bad options of its own (EINVAL)', () => {
    const factory = { name: 'mine', create: () => ({}) };
    const cases: [unknown, RegExp][] = [
      [{ provider: createMockProvider() }, /option provider = .*other threads can open/],
      [{ policy: factory }, /option policy = .*built-in policy/],
      [{ policy: 'worst-fit' }, /option policy/],
      [{ lockTimeoutMs: -1 }, /option lockTimeoutMs/],
      [{ lockTimeoutMs: Number.NaN }, /option lockTimeoutMs/],
      [{ maxBytes: 0 }, /option maxBytes/],
      [{ maxBytes: 4096, provider: small() }, /option maxBytes/],
      [{ maxMetadataBytes: 12 }, /option maxMetadataBytes/],
      [{ maxMetadataBytes: 2 ** 33 }, /option maxMetadataBytes/],
      [{ pageSize: 3 }, /option pageSize/],
      [{ colour: 'red' }, /unknown option "colour"/],
      [{ autoTrim: null }, /option autoTrim = null/],
      ['tlsf', /options must be an object/],
    ];
    for (const [options, message] of cases) {
      let caught: unknown;
      try {
        createSharedMems(options as never);
      } catch (error) {
        caught = error;
      }
      expect(isMemsError(caught) && caught.code, String(message)).toBe('EINVAL');
      expect((caught as Error).message).toMatch(/^createSharedMems/);
      expect((caught as Error).message).toMatch(message);
    }
  });
});

describe('a shared heap after detach and finish', () => {
  it('refuses every call of a detached object (ESTATE) while other objects go on', () => {
    const mems = createSharedMems({ provider: small() });
    const other = attachMems(mems.handle);
    const p = other.malloc(100);
    other.detach();
    expect(other.isDetached).toBe(true);
    const calls: (() => unknown)[] = [
      () => other.malloc(1),
      () => other.free(p),
      () => other.get(p),
      () => other.calloc(1, 1),
      () => other.realloc(p, 5),
      () => other.view(p),
      () => other.viewAs(Uint8Array, p),
      () => other.usableSize(p),
      () => other.trim(),
      () => other.stats(),
      () => other.validate(),
      () => other.printStats(() => {}),
      () => other.finish(),
      () => other.recover(),
      () => other.detach(),
    ];
    for (const call of calls) expect(code(call)).toBe('ESTATE');
    expect(mems.usableSize(p)).toBe(100);
    mems.free(p);
    mems.validate();
    mems.finish();
  });

  it('refuses every call but finish from every thread after finish (ESTATE), and a new attach', () => {
    const mems = createSharedMems({ provider: small() });
    const other = attachMems(mems.handle);
    const p = mems.malloc(10);
    other.finish();
    expect(mems.isFinished).toBe(true);
    expect(other.isFinished).toBe(true);
    for (const m of [mems, other]) {
      expect(code(() => m.malloc(1))).toBe('ESTATE');
      expect(code(() => m.free(p))).toBe('ESTATE');
      expect(code(() => m.stats())).toBe('ESTATE');
      expect(code(() => m.freeAll())).toBe('ESTATE');
      expect(code(() => m.finish())).toBe('no error'); // finishing a finished heap does nothing
    }
    expect(code(() => attachMems(mems.handle))).toBe('ESTATE');
    expect(() => mems.malloc(1)).toThrow(/^malloc\(1\): this heap is finished/);
  });

  it('fails a call with a bad argument without changing anything', () => {
    const mems = createSharedMems({ provider: small(), policy: 'tlsf' });
    const p = mems.malloc(300);
    const before = JSON.stringify(mems.stats());
    expect(code(() => mems.free(p + 1))).toBe('EFAULT');
    expect(code(() => mems.malloc(0))).toBe('EINVAL');
    expect(code(() => mems.realloc(p, -1))).toBe('EINVAL');
    expect(code(() => mems.get(99999999))).toBe('EFAULT');
    expect(JSON.stringify(mems.stats())).toBe(before);
    mems.free(p);
    mems.finish();
  });
});

describe('a lock whose holder is gone', () => {
  it('times a call out with ESTATE after lockTimeoutMs, and recover() frees it', () => {
    const mems = createSharedMems({ provider: small(), lockTimeoutMs: 30 });
    const p = mems.malloc(64);
    // Another handle on the heap's lock (as a thread that died holding it would have).
    const stranger = new SharedMutex(mems.handle.control, 8);
    expect(stranger.lock()).toBe(true);
    expect(() => mems.malloc(8)).toThrow(/lock was not released within 30 ms .*recover\(\)/);
    expect(mems.usableSize === undefined).toBe(false);
    expect(mems.recover()).toBe(true);
    expect(mems.usableSize(p)).toBe(64);
    expect(mems.malloc(8)).toBe(1064);
    expect(mems.recover()).toBe(false); // nobody held it
    mems.finish();
  });
});
