/// <reference types="node" />
import { vi } from 'vitest';

/**
 * Runs `action` with `process.stdout.write` captured.
 * @param action the code whose output is wanted.
 * @returns everything written to stdout meanwhile, in order.
 */
export function captureStdout(action: () => void): string {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    action();
  } finally {
    spy.mockRestore();
  }
  return text;
}
