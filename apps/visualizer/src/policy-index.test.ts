import type { HeapSnapshot, PolicyName, SegmentSnapshot } from '@mems/core';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { describeIndexPosition } from './policy-index.js';
import { mallocs } from './test-support.js';
import { runProgram, stateAt } from './timeline.js';
import { DEFAULT_OPTIONS } from './visual-heap.js';

function at(policy: PolicyName, commands: Command[]): { snapshot: HeapSnapshot; cursor: number | null } {
  const state = stateAt(runProgram({ ...DEFAULT_OPTIONS, policy }, commands), commands.length);
  state.release();
  return { snapshot: state.snapshot, cursor: state.cursor };
}

const segment = (snapshot: HeapSnapshot, start: number): SegmentSnapshot =>
  snapshot.nodes.flatMap((n) => n.segments).find((s) => s.start === start)!;

// Four blocks of 500 B, the first and the third freed: holes H[1000:1499], H[2000:2499] and the tail H[3000:5095].
const program: Command[] = [...mallocs(4, 500), { op: 'free', address: 1000 }, { op: 'free', address: 2000 }];

describe('describeIndexPosition', () => {
  it('gives a hole’s rank by address for first fit', () => {
    const { snapshot, cursor } = at('first-fit', program);
    expect(describeIndexPosition(snapshot, segment(snapshot, 2000), cursor)).toBe(
      'hole 2 of 3 in the first-fit tree, ordered by address',
    );
  });

  it('gives a hole’s rank by (size, address) for best fit', () => {
    const { snapshot, cursor } = at('best-fit', program);
    const holes = snapshot.nodes.flatMap((n) => n.segments).filter((s) => s.kind === 'HOLE');
    const largest = holes.reduce((a, b) => (b.size > a.size ? b : a));
    expect(describeIndexPosition(snapshot, largest, cursor)).toBe(
      `hole ${holes.length} of ${holes.length} in the best-fit tree, ordered by (size, address)`,
    );
  });

  it('gives the TLSF list of a hole', () => {
    const { snapshot, cursor } = at('tlsf', program);
    expect(describeIndexPosition(snapshot, segment(snapshot, 1000), cursor)).toMatch(
      /^TLSF list fl 5, sl 15 \(sizes 496–511\), holding \d of the \d holes$/,
    );
  });

  it('says where the next-fit cursor is before anything was placed', () => {
    const { snapshot, cursor } = at('next-fit', [
      { op: 'malloc', size: 10 },
      { op: 'free', address: 1000 },
    ]);
    expect(cursor).toBe(1010);
    const fresh = at('next-fit', []);
    expect(fresh.cursor).toBeNull();
    expect(describeIndexPosition(snapshot, segment(snapshot, 1000), cursor)).toBe(
      'hole 1 of 1 in the next-fit tree, ordered by address; the next-fit cursor is at 1010 (this hole is searched after the wrap-around)',
    );
    expect(describeIndexPosition(snapshot, segment(snapshot, 1000), null)).toContain(
      'the next-fit cursor is at the start (nothing placed yet)',
    );
  });

  it('shows the next-fit cursor, observed from the policy itself', () => {
    const { snapshot, cursor } = at('next-fit', program);
    expect(cursor).toBe(3000);
    expect(describeIndexPosition(snapshot, segment(snapshot, 1000), cursor)).toBe(
      'hole 1 of 3 in the next-fit tree, ordered by address; the next-fit cursor is at 3000 (this hole is searched after the wrap-around)',
    );
    expect(describeIndexPosition(snapshot, segment(snapshot, 3000), cursor)).toBe(
      'hole 3 of 3 in the next-fit tree, ordered by address; the next-fit cursor is at 3000 (the next search starts with this hole)',
    );
    expect(describeIndexPosition(snapshot, segment(snapshot, 2500), cursor)).toBe(
      'a live block: in no next-fit index (only holes are); the next-fit cursor is at 3000',
    );
  });

  it('says a live block is in no index', () => {
    const { snapshot, cursor } = at('first-fit', program);
    expect(describeIndexPosition(snapshot, segment(snapshot, 1500), cursor)).toBe(
      'a live block: in no first-fit index (only holes are)',
    );
  });
});
