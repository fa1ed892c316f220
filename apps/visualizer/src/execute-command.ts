import { type Heap, isMemsError } from '@mems/core';
import type { Command } from './command.js';

/** A step that cannot run for a reason of the program, not of MeMS (a trace's unknown block). */
export class StepError extends Error {
  /** @param message what is wrong. */
  constructor(message: string) {
    super(message);
    this.name = 'StepError';
  }
}

/** The names of a trace's live blocks and their addresses, kept by the steps that run a program. */
export class BlockNames {
  private readonly byName = new Map<string, number>();
  private readonly byAddress = new Map<number, string>();

  /** @returns the address of the live block named `id`, or `undefined`. */
  addressOf(id: string): number | undefined {
    return this.byName.get(id);
  }

  /** Names the block at `address` (forgetting the name it had). */
  set(id: string, address: number): void {
    this.forget(address);
    const old = this.byName.get(id);
    if (old !== undefined) this.byAddress.delete(old);
    this.byName.set(id, address);
    this.byAddress.set(address, id);
  }

  /** Forgets whatever block was at `address` (freed or moved). */
  forget(address: number): void {
    const id = this.byAddress.get(address);
    if (id === undefined) return;
    this.byAddress.delete(address);
    this.byName.delete(id);
  }

  /** @returns the name of the live block at `address`, or `undefined`. */
  nameOf(address: number): string | undefined {
    return this.byAddress.get(address);
  }
}

/** What a command did when it worked. */
export interface CommandResult {
  /** One line, as the REPL prints it (`Virtual address: 1000`, `Freed 1000`, ...). */
  readonly text: string;
  /** The block the command made, resized or touched (for highlighting); `null` for `trim`. */
  readonly address: number | null;
}

function requireBlock(names: BlockNames, op: string, id: string): number {
  const address = names.addressOf(id);
  if (address === undefined) throw new StepError(`${op} ${id}: block ${JSON.stringify(id)} is not allocated`);
  return address;
}

/**
 * Runs one command on a heap, as the demo REPL would, and keeps the trace block names up to
 * date. A command that throws changes neither the heap (MeMS guarantees it) nor the names.
 * @param heap the heap.
 * @param names the trace's block names.
 * @param command the command.
 * @returns its result line and the block it concerns.
 * @throws MemsError from MeMS, or StepError for a trace operation on a block name that is not
 *   allocated (or an `a` of a name that is).
 */
export function executeCommand(heap: Heap, names: BlockNames, command: Command): CommandResult {
  switch (command.op) {
    case 'malloc': {
      const address = heap.allocate(command.size);
      return { text: `Virtual address: ${address}`, address };
    }
    case 'calloc': {
      const address = heap.calloc(command.count, command.size);
      return { text: `Virtual address: ${address}`, address };
    }
    case 'realloc': {
      const address = heap.realloc(command.address, command.size);
      const id = names.nameOf(command.address);
      if (id !== undefined) names.set(id, address);
      return {
        text: `Virtual address: ${address}${address === command.address ? '' : ` (moved from ${command.address})`}`,
        address,
      };
    }
    case 'free':
      heap.free(command.address);
      names.forget(command.address);
      return { text: `Freed ${command.address}`, address: command.address };
    case 'get':
      return { text: `Physical address: ${heap.translate(command.address)}`, address: command.address };
    case 'write': {
      const bytes = new TextEncoder().encode(command.text);
      heap.view(command.address, bytes.length).set(bytes);
      return { text: `Wrote ${bytes.length} bytes at ${command.address}`, address: command.address };
    }
    case 'trim':
      return { text: `Released ${heap.trim()} bytes`, address: null };
    case 'a': {
      if (names.addressOf(command.id) !== undefined)
        throw new StepError(`a ${command.id}: block ${JSON.stringify(command.id)} is already allocated`);
      const address = heap.allocate(command.size);
      names.set(command.id, address);
      return { text: `Virtual address: ${address}`, address };
    }
    case 'f': {
      const address = requireBlock(names, 'f', command.id);
      heap.free(address);
      names.forget(address);
      return { text: `Freed ${address}`, address };
    }
    case 'r': {
      const from = requireBlock(names, 'r', command.id);
      const address = heap.realloc(from, command.size);
      names.set(command.id, address);
      return {
        text: `Virtual address: ${address}${address === from ? '' : ` (moved from ${from})`}`,
        address,
      };
    }
  }
}

/** Errors whose message is written for the student as it is (no class name in front). */
const PLAIN_ERRORS = new Set(['StepError', 'CommandSyntaxError', 'TraceFileError']);

/**
 * The message the page shows for an error: a MemsError as `CODE: message` (the message is
 * MemsError's own), the page's own errors (a bad command, a bad trace) as their message, any
 * other error as `Name: message`, so that nothing is hidden.
 * @param error what was thrown.
 * @returns one line.
 */
export function errorText(error: unknown): string {
  if (isMemsError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error)
    return PLAIN_ERRORS.has(error.name) ? error.message : `${error.name}: ${error.message}`;
  return `thrown: ${String(error)}`;
}
