/**
 * @module cli/shutdown
 * Graceful shutdown for long-running commands (`serve`, `worker`): on the first SIGINT or
 * SIGTERM, say what is happening, run `close` once, and exit 0 (or 1 when closing failed).
 */
export function closeOnSignal(close: () => Promise<void>, doing: string): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: ${doing}…`);
    close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
