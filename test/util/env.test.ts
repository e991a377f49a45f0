/**
 * Environment reads (SPEC 1): never required, never ahead of an explicit
 * option, and a read the runtime refuses (Deno without --allow-env) is
 * "unset", decided once rather than thrown and caught per call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatExecCredential } from '../../src/token/format-exec-credential.js';
import { generateToken } from '../../src/token/generate.js';
import type { EnvGlobals } from '../../src/util/env.js';
import { readEnv, selectEnvReader } from '../../src/util/env.js';

/** A stand-in for Deno: permission answers by variable, counting queries. */
function deno(
  states: Record<string, string>,
  values: Record<string, string>,
): { globals: EnvGlobals; queries: () => number } {
  let queries = 0;
  const refuse = (): never => {
    // What Deno does on a read without permission.
    throw new Error('NotCapable: Requires env access');
  };
  return {
    globals: {
      Deno: {
        permissions: {
          querySync: ({ variable }) => {
            queries += 1;
            return { state: states[variable ?? '*'] ?? 'prompt' };
          },
        },
        env: {
          get: (name) =>
            states['*'] === 'granted' || states[name] === 'granted' ? values[name] : refuse(),
        },
      },
      process: { env: new Proxy({}, { get: refuse }) as Record<string, string> },
    },
    queries: () => queries,
  };
}

describe('selectEnvReader', () => {
  it.each([
    [
      'Node/Bun: process.env',
      { process: { env: { A: 'x', E: '' } } },
      { A: 'x', E: undefined, Z: undefined },
    ],
    ['an edge worker: no process at all', {}, { A: undefined }],
    ['process without env', { process: {} }, { A: undefined }],
  ] as [string, EnvGlobals, Record<string, string | undefined>][])('%s', (_, globals, expected) => {
    const read = selectEnvReader(globals);
    for (const [name, value] of Object.entries(expected)) expect(read(name)).toBe(value);
  });

  it('Deno with --allow-env: reads, one permission query in all', () => {
    const runtime = deno({ '*': 'granted' }, { AWS_REGION: 'eu-west-1' });
    const read = selectEnvReader(runtime.globals);
    expect([read('AWS_REGION'), read('AWS_REGION'), read('OTHER')]).toEqual([
      'eu-west-1',
      'eu-west-1',
      undefined,
    ]);
    expect(runtime.queries()).toBe(1);
  });

  it.each(['prompt', 'denied'])(
    'Deno with no flags (%s): unset, never a throw, one query per name',
    (state) => {
      const runtime = deno({ '*': state }, { AWS_REGION: 'eu-west-1' });
      const read = selectEnvReader(runtime.globals);
      for (let i = 0; i < 3; i += 1) {
        expect(read('AWS_REGION')).toBeUndefined();
        expect(read('KUBERNETES_EXEC_INFO')).toBeUndefined();
      }
      // One for the whole environment, then one per variable name, ever.
      expect(runtime.queries()).toBe(3);
    },
  );

  it('Deno with --allow-env=AWS_REGION: that variable only', () => {
    const runtime = deno(
      { '*': 'prompt', AWS_REGION: 'granted' },
      { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'p' },
    );
    const read = selectEnvReader(runtime.globals);
    expect([read('AWS_REGION'), read('AWS_PROFILE')]).toEqual(['eu-west-1', undefined]);
  });

  it('a permission query that throws counts as refused', () => {
    const read = selectEnvReader({
      Deno: {
        permissions: {
          querySync: () => {
            throw new Error('unsupported');
          },
        },
      },
    });
    expect(read('AWS_REGION')).toBeUndefined();
  });
});

describe('an explicit option is never preceded by an env read', () => {
  const original = Object.getOwnPropertyDescriptor(process, 'env') as PropertyDescriptor;
  afterEach(() => {
    Object.defineProperty(process, 'env', original);
  });

  /** Replace process.env with a recorder of every variable read. */
  function recordReads(): string[] {
    const reads: string[] = [];
    const env = { ...process.env };
    Object.defineProperty(process, 'env', {
      configurable: true,
      value: new Proxy(env, {
        get: (target, name) => {
          // Node's own loader reads variables of its own (e.g. WATCH_REPORT_DEPENDENCIES).
          if (typeof name === 'string' && /^(AWS_|KUBERNETES_)/.test(name)) reads.push(name);
          return target[name as string];
        },
      }),
    });
    return reads;
  }

  it('generateToken with every option given reads nothing', async () => {
    readEnv('WARM_UP'); // the reader is chosen once per process
    const reads = recordReads();
    await generateToken({
      clusterId: 'demo',
      region: 'us-west-2',
      stsRegionalEndpoints: 'regional',
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      signingDate: new Date('2024-01-15T12:34:56Z'),
    });
    expect(reads).toEqual([]);
  });

  it('formatExecCredential with execInfo reads nothing; without it, KUBERNETES_EXEC_INFO only', () => {
    const generated = { token: 'k8s-aws-v1.x', expiresAt: new Date('2024-01-15T12:48:56Z') };
    const reads = recordReads();
    formatExecCredential(generated as never, {
      execInfo: '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}',
    });
    expect(reads).toEqual([]);
    formatExecCredential(generated as never);
    expect(reads).toEqual(['KUBERNETES_EXEC_INFO']);
  });

  it('generateToken without region reads AWS_REGION first', async () => {
    const reads = recordReads();
    await generateToken({
      clusterId: 'demo',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    expect(reads[0]).toBe('AWS_REGION');
  });
});
