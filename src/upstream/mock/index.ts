/**
 * @module upstream/mock
 * The built-in mock OpenAI upstream, usable in-process (`createMockUpstream`) and from the
 * command line (`distillguard mock-upstream`).
 */

export { FAULT_HEADERS } from './faults.js';
export {
  createMockUpstream,
  MOCK_DEFAULTS,
  type MockOptions,
  type MockStats,
  type MockUpstream,
  type RecordedRequest,
} from './server.js';
