/**
 * The test-only STS redirect: with `EKS_IAM_AUTH_STS_ENDPOINT` set to a
 * loopback `http://` origin, every STS call of the tool goes there instead of
 * to AWS, carrying the STS host it was meant for in `x-emulated-host` (the
 * convention of the test STS emulator, which checks signatures against that
 * host, since the real client would have sent it as `Host`).
 *
 * Only loopback origins are honoured, so the variable cannot be used to send
 * tokens or signed requests to another machine, and a warning is printed
 * whenever it is in effect.
 *
 * @module
 */
import { UsageError } from './args.js';
import { warn } from './output.js';

/** The environment variable. Tests only: never set it in production. */
export const STS_ENDPOINT_ENV = 'EKS_IAM_AUTH_STS_ENDPOINT';

/** Header naming the STS host the request was meant for. */
const EMULATED_HOST_HEADER = 'x-emulated-host';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The `fetch` for STS calls: the global one, or the redirecting one when
 * `EKS_IAM_AUTH_STS_ENDPOINT` is set.
 *
 * @throws {@link UsageError} when the variable is set to anything but a
 *   loopback `http://host:port` origin.
 */
export function stsFetch(env: NodeJS.ProcessEnv = process.env): typeof globalThis.fetch {
  const value = env[STS_ENDPOINT_ENV];
  if (value === undefined || value === '') return globalThis.fetch;
  let origin: URL;
  try {
    origin = new URL(value);
  } catch {
    throw new UsageError(`${STS_ENDPOINT_ENV} must be a URL such as http://127.0.0.1:8080`, '');
  }
  if (
    origin.protocol !== 'http:' ||
    !LOOPBACK_HOSTS.has(origin.hostname) ||
    (origin.pathname !== '/' && origin.pathname !== '') ||
    origin.search !== '' ||
    origin.username !== ''
  ) {
    throw new UsageError(
      `${STS_ENDPOINT_ENV} is for tests only and must be a loopback origin such as http://127.0.0.1:8080`,
      '',
    );
  }
  warn(`warning: ${STS_ENDPOINT_ENV} is set: STS calls go to ${origin.origin} (tests only)`);
  return (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const match = /^https:\/\/([^/?#]+)(.*)$/s.exec(href);
    if (!match) return Promise.reject(new TypeError('STS URLs are https'));
    const headers = new Headers(init?.headers);
    headers.set(EMULATED_HOST_HEADER, match[1] as string);
    const path = match[2] === '' ? '/' : (match[2] as string);
    return globalThis.fetch(`${origin.origin}${path}`, { ...init, headers });
  };
}
