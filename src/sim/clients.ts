/**
 * @module sim/clients
 * Client fingerprints as they appear on the wire: the user agent and `x-stainless-*` headers of
 * the official SDKs at realistic versions, framework wrappers, and plain HTTP clients. Benign orgs
 * and attackers draw from the same catalogue, so a fingerprint alone gives nothing away.
 */
import type { Rng } from './rng.js';
import type { ClientProfile } from './types.js';

const PY_VERSIONS = [
  '1.35.3',
  '1.40.6',
  '1.47.0',
  '1.51.2',
  '1.54.4',
  '1.58.1',
  '1.61.0',
  '1.68.2',
  '1.75.0',
];
const JS_VERSIONS = ['4.52.7', '4.67.1', '4.73.0', '4.77.3', '4.85.1', '5.1.0', '5.8.2', '5.12.2'];
const PY_RUNTIMES = ['3.9.18', '3.10.13', '3.11.9', '3.12.3', '3.12.7', '3.13.0'];
const NODE_RUNTIMES = ['v18.19.1', 'v20.11.1', 'v20.17.0', 'v22.9.0', 'v22.11.0'];
const OSES: Array<[string, string]> = [
  ['Linux', 'x64'],
  ['Linux', 'arm64'],
  ['MacOS', 'arm64'],
  ['MacOS', 'x64'],
  ['Windows', 'x64'],
];

export type ClientKind = 'python' | 'node' | 'langchain' | 'httpx' | 'curl' | 'java' | 'go';

export function pythonSdk(rng: Rng, version = rng.pick(PY_VERSIONS), async = rng.chance(0.3)): ClientProfile {
  const [os, arch] = rng.weighted(OSES, [60, 10, 15, 5, 10]);
  return {
    userAgent: `${async ? 'AsyncOpenAI' : 'OpenAI'}/Python ${version}`,
    headers: {
      'x-stainless-lang': 'python',
      'x-stainless-package-version': version,
      'x-stainless-os': os,
      'x-stainless-arch': arch,
      'x-stainless-runtime': 'CPython',
      'x-stainless-runtime-version': rng.pick(PY_RUNTIMES),
      'x-stainless-async': async ? 'async:asyncio' : 'false',
    },
  };
}

export function nodeSdk(rng: Rng, version = rng.pick(JS_VERSIONS)): ClientProfile {
  const [os, arch] = rng.weighted(OSES, [55, 10, 25, 5, 5]);
  return {
    userAgent: `OpenAI/JS ${version}`,
    headers: {
      'x-stainless-lang': 'js',
      'x-stainless-package-version': version,
      'x-stainless-os': os,
      'x-stainless-arch': arch,
      'x-stainless-runtime': 'node',
      'x-stainless-runtime-version': rng.pick(NODE_RUNTIMES),
    },
  };
}

export function plainClient(rng: Rng, kind: Exclude<ClientKind, 'python' | 'node'>): ClientProfile {
  switch (kind) {
    case 'langchain': {
      const base = pythonSdk(rng);
      return {
        userAgent: base.userAgent,
        headers: { ...base.headers, 'x-stainless-async': 'async:asyncio' },
      };
    }
    case 'httpx':
      return { userAgent: `python-httpx/0.${rng.int(24, 28)}.${rng.int(0, 2)}`, headers: {} };
    case 'curl':
      return { userAgent: `curl/8.${rng.int(1, 11)}.${rng.int(0, 1)}`, headers: {} };
    case 'java':
      return { userAgent: `Java-http-client/${rng.pick(['17.0.9', '21.0.2', '11.0.21'])}`, headers: {} };
    case 'go':
      return { userAgent: 'Go-http-client/2.0', headers: {} };
  }
}

/** A client the way the population draws it: mostly the official SDKs, some plain HTTP. */
export function populationClient(rng: Rng): ClientProfile {
  const kind = rng.weighted<ClientKind>(
    ['python', 'node', 'langchain', 'httpx', 'curl', 'java', 'go'],
    [55, 25, 8, 4, 2, 3, 3],
  );
  if (kind === 'python') return pythonSdk(rng);
  if (kind === 'node') return nodeSdk(rng);
  return plainClient(rng, kind);
}
