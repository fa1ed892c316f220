/**
 * A small, obviously-correct model of the seed's first-fit semantics, written with plain
 * arrays and linear scans, for differential tests. Test code only: not exported by the
 * package.
 */
export interface ReferenceSegment {
  kind: 'PROCESS' | 'HOLE';
  start: number;
  size: number;
}

export interface ReferenceNode {
  start: number;
  size: number;
  segments: ReferenceSegment[];
}

export class ReferenceHeap {
  readonly nodes: ReferenceNode[] = [];

  constructor(
    readonly pageSize = 4096,
    readonly startAddress = 1000,
    readonly alignment = 1,
    readonly minNodePages = 1,
  ) {}

  private round(size: number): number {
    return Math.ceil(size / this.alignment) * this.alignment;
  }

  malloc(size: number): number {
    const n = this.round(size);
    for (const node of this.nodes) {
      for (let i = 0; i < node.segments.length; i++) {
        const seg = node.segments[i]!;
        if (seg.kind === 'HOLE' && seg.size >= n) return this.split(node, i, n);
      }
    }
    const pages = Math.max(Math.ceil(n / this.pageSize), this.minNodePages);
    const last = this.nodes[this.nodes.length - 1];
    const start = last ? last.start + last.size : this.startAddress;
    const node: ReferenceNode = { start, size: pages * this.pageSize, segments: [] };
    node.segments.push({ kind: 'HOLE', start, size: node.size });
    this.nodes.push(node);
    return this.split(node, 0, n);
  }

  private split(node: ReferenceNode, i: number, n: number): number {
    const hole = node.segments[i]!;
    const block: ReferenceSegment = { kind: 'PROCESS', start: hole.start, size: n };
    if (hole.size === n) node.segments[i] = block;
    else node.segments.splice(i, 1, block, { kind: 'HOLE', start: hole.start + n, size: hole.size - n });
    return block.start;
  }

  /** Frees the block starting at `address`; returns false (and changes nothing) if there is none. */
  free(address: number): boolean {
    for (const node of this.nodes) {
      const i = node.segments.findIndex((s) => s.kind === 'PROCESS' && s.start === address);
      if (i < 0) continue;
      node.segments[i]!.kind = 'HOLE';
      const merged: ReferenceSegment[] = [];
      for (const seg of node.segments) {
        const last = merged[merged.length - 1];
        if (last && last.kind === 'HOLE' && seg.kind === 'HOLE') last.size += seg.size;
        else merged.push({ ...seg });
      }
      node.segments = merged;
      return true;
    }
    return false;
  }

  /** The live blocks' start addresses. */
  blocks(): number[] {
    return this.nodes.flatMap((n) => n.segments.filter((s) => s.kind === 'PROCESS').map((s) => s.start));
  }

  /** The chains in the shape of a heap snapshot's nodes (without physical addresses). */
  chains(): { start: number; size: number; segments: ReferenceSegment[] }[] {
    return this.nodes.map((n) => ({
      start: n.start,
      size: n.size,
      segments: n.segments.map((s) => ({ ...s })),
    }));
  }
}

/** The chains of a heap snapshot, in the shape {@link ReferenceHeap.chains} returns. */
export function chainsOf(snapshot: {
  nodes: readonly { start: number; size: number; segments: readonly ReferenceSegment[] }[];
}): { start: number; size: number; segments: ReferenceSegment[] }[] {
  return snapshot.nodes.map((n) => ({
    start: n.start,
    size: n.size,
    segments: n.segments.map((s) => ({ kind: s.kind, start: s.start, size: s.size })),
  }));
}
