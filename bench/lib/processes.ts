/**
 * @module bench/lib/processes
 * Shared pieces of the gateway benchmarks (`bench/gateway.ts`, `bench/gateway-cpu.ts`): the
 * chat request body they send, and `startProcess`, which runs a `bench/<file>` server with tsx
 * in its own process and waits for the `READY <words…>` line it prints on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The non-streaming chat completion every gateway benchmark sends. */
export const CHAT = JSON.stringify({
  model: 'mock-1',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Classify the sentiment of this review in one word: the soup was lovely.' },
  ],
  max_tokens: 32,
});

/** Starts `file` with tsx in its own process and resolves with the words of its READY line. */
export function startProcess(
  file: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; words: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) resolve({ child, words: line.slice(6).split(' ') });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before READY`)));
  });
}
