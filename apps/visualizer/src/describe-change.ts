import type { HeapSnapshot, NodeSnapshot, SegmentSnapshot } from '@mems/core';

/** A segment together with the node that holds it. */
interface Located {
  readonly segment: SegmentSnapshot;
  readonly node: NodeSnapshot;
}

const P = (s: { start: number; lastAddress: number }): string => `P[${s.start}:${s.lastAddress}]`;
const H = (s: { start: number; lastAddress: number }): string => `H[${s.start}:${s.lastAddress}]`;
const MAIN = (n: NodeSnapshot): string => `MAIN[${n.start}:${n.lastAddress}]`;
const pages = (n: number): string => `${n} page${n === 1 ? '' : 's'}`;

function segmentsOf(snapshot: HeapSnapshot): Located[] {
  const all: Located[] = [];
  for (const node of snapshot.nodes) for (const segment of node.segments) all.push({ segment, node });
  return all;
}

function covering(
  all: readonly Located[],
  address: number,
  kind?: SegmentSnapshot['kind'],
): Located | undefined {
  return all.find(
    ({ segment }) =>
      segment.start <= address &&
      address <= segment.lastAddress &&
      (kind === undefined || segment.kind === kind),
  );
}

/**
 * Says in words what one step did to the heap, from the snapshots before and after it: the
 * nodes mapped and unmapped, each block placed (exact fit of a hole, split of a hole, or in a new
 * node), grown or shrunk in place, and each block freed with its merge case (no neighbour hole,
 * the hole before, the hole after, or both).
 * @param before the heap before the step.
 * @param after the heap after it.
 * @returns one sentence per change, in a fixed order (nodes mapped, blocks placed or resized,
 *   blocks freed, nodes unmapped); `[]` when nothing changed.
 */
export function describeChange(before: HeapSnapshot, after: HeapSnapshot): string[] {
  const changes: string[] = [];
  const nodesBefore = new Map(before.nodes.map((n) => [n.start, n]));
  const nodesAfter = new Map(after.nodes.map((n) => [n.start, n]));
  const newNodes = after.nodes.filter((n) => nodesBefore.get(n.start)?.size !== n.size);
  const goneNodes = before.nodes.filter((n) => nodesAfter.get(n.start)?.size !== n.size);
  for (const node of newNodes) changes.push(`new node ${MAIN(node)}: ${pages(node.pages)} mapped`);

  const segsBefore = segmentsOf(before);
  const segsAfter = segmentsOf(after);
  const key = (s: SegmentSnapshot) => `${s.kind}${s.start}:${s.lastAddress}`;
  const keysBefore = new Set(segsBefore.map((l) => key(l.segment)));
  const keysAfter = new Set(segsAfter.map((l) => key(l.segment)));
  const placed = segsAfter.filter((l) => l.segment.kind === 'PROCESS' && !keysBefore.has(key(l.segment)));
  const gone = segsBefore.filter((l) => l.segment.kind === 'PROCESS' && !keysAfter.has(key(l.segment)));
  const resizedStarts = new Set<number>();

  for (const { segment, node } of placed) {
    const old = gone.find((g) => g.segment.start === segment.start);
    if (old !== undefined) {
      resizedStarts.add(segment.start);
      const verb = segment.size > old.segment.size ? 'grew' : 'shrank';
      changes.push(`${verb} in place: ${P(old.segment)} → ${P(segment)}`);
      continue;
    }
    if (newNodes.includes(node)) {
      const rest = node.segments.filter((s) => s !== segment && s.kind === 'HOLE');
      changes.push(
        `placed ${P(segment)} in the new node${rest.length > 0 ? `; the rest is ${rest.map(H).join(', ')}` : ''}`,
      );
      continue;
    }
    const hole = covering(segsBefore, segment.start, 'HOLE');
    if (hole === undefined) {
      changes.push(`placed ${P(segment)}`);
    } else if (hole.segment.start === segment.start && hole.segment.lastAddress === segment.lastAddress) {
      changes.push(`exact fit: ${P(segment)} takes the whole hole ${H(hole.segment)}`);
    } else {
      const parts = segsAfter
        .filter(
          (l) => l.segment.start >= hole.segment.start && l.segment.lastAddress <= hole.segment.lastAddress,
        )
        .map((l) => (l.segment.kind === 'PROCESS' ? P(l.segment) : H(l.segment)));
      changes.push(`split: hole ${H(hole.segment)} → ${parts.join(' + ')}`);
    }
  }

  for (const { segment, node } of gone) {
    if (resizedStarts.has(segment.start)) continue;
    if (goneNodes.includes(node) && !nodesAfter.has(node.start)) {
      changes.push(`freed ${P(segment)}`);
      continue;
    }
    const hole = covering(segsAfter, segment.start, 'HOLE');
    if (hole === undefined) {
      changes.push(`freed ${P(segment)}`);
      continue;
    }
    const left = hole.segment.start < segment.start;
    const right = hole.segment.lastAddress > segment.lastAddress;
    const into = H(hole.segment);
    if (left && right) changes.push(`freed ${P(segment)}: merged with the holes before and after → ${into}`);
    else if (left) changes.push(`freed ${P(segment)}: merged with the hole before → ${into}`);
    else if (right) changes.push(`freed ${P(segment)}: merged with the hole after → ${into}`);
    else changes.push(`freed ${P(segment)}: no neighbouring hole, it becomes ${into}`);
  }

  for (const node of goneNodes) changes.push(`node ${MAIN(node)} unmapped: ${pages(node.pages)} returned`);
  return changes;
}
