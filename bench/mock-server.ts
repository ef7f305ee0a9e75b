/**
 * @module bench/mock-server
 * The built-in mock upstream as its own process for the benchmark. Prints `READY <base url>`.
 */
import { createMockUpstream } from '../src/upstream/mock/index.js';

const mock = await createMockUpstream({ port: Number(process.env.PORT ?? 0) });
console.log(`READY ${mock.url}`);
const stop = () => {
  void mock.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
