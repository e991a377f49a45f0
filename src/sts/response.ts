/**
 * STS `GetCallerIdentity` answers: the trust boundary where the bytes STS sent
 * back become a typed {@link CallerIdentity} or a typed error (SPEC 3.4 steps
 * 5 and 6).
 *
 * STS speaks the AWS Query protocol: XML by default, JSON when the request
 * says `accept: application/json` (which the verifier does, as the Go
 * authenticator does). Both are parsed here; the content type decides which,
 * never sniffing, so a body cannot pick its own parser.
 *
 * @module
 */
import type { XMLParser } from 'fast-xml-parser';
import { canonicalizeArn } from '../arn.js';
import type { PrincipalType } from '../arn.js';
import {
  ArnError,
  StsRejectedError,
  StsResponseError,
  StsThrottledError,
  StsUnavailableError,
} from '../errors.js';
import { importOptional } from '../util/optional-import.js';
import type { PartitionId } from '../partitions.js';

/** The body formats STS answers in. */
export type StsBodyFormat = 'json' | 'xml';

/** The three fields STS vouches for, as strings, before any consistency check. */
export interface CallerIdentityFields {
  /** `Arn`: the caller's IAM or STS ARN. */
  arn: string;
  /** `Account`: the caller's 12-digit account id. */
  account: string;
  /** `UserId`: the unique id (`AIDA…`, `AROA…:<session>`, the account id for root, …). */
  userId: string;
}

/** A consistent identity from a 200 answer, checked against the verifier's partition. */
export interface CallerIdentity {
  /** The ARN exactly as STS reported it. */
  arn: string;
  /** The IAM ARN that `aws-auth` entries match (assumed-role → its role). */
  canonicalArn: string;
  principalType: PrincipalType;
  /** 12 digits, as a string. */
  accountId: string;
  /** The unique id without the session suffix for assumed roles; the whole `UserId` otherwise. */
  userId: string;
  /** For assumed roles only: the role session name. */
  sessionName?: string;
  partition: PartitionId;
}

/** What the HTTP layer hands over: status, content type and the (capped) body. */
export interface StsHttpAnswer {
  status: number;
  /** The `content-type` header, or `null`. */
  contentType: string | null;
  /** The body as text; empty when it was cut off. */
  body: string;
  /** True when the body exceeded the byte cap and was not read to the end. */
  truncated: boolean;
}

/** STS error codes that mean "slow down" rather than "no". */
const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

const ACCOUNT_ID = /^\d{12}$/;
// UserIds are printable ASCII without spaces: AIDA…, AROA…:<session>,
// <account>:<federated name>, or the account id.
const USER_ID = /^[\x21-\x7e]{1,512}$/;
// Only a well-formed code goes into an error (never the AWS message: some
// services echo the canonical request, with its session token, in it).
const AWS_ERROR_CODE = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;
// External entities and entity expansion ("billion laughs") need a DTD.
const DTD = /<!DOCTYPE|<!ENTITY/i;

let xmlParser: XMLParser | undefined;
let xmlLoading: Promise<void> | undefined;

/**
 * Load the XML parser, once. Verification asks STS for JSON (which STS
 * honours), so `fast-xml-parser` is imported only when an answer is XML (an
 * older endpoint, a proxy, an emulator): an import of this library does not
 * pay for it, and bundles for edge runtimes do not carry it (it is imported
 * by name at run time; its own dependencies do not bundle for esbuild's
 * `neutral` platform). Where it cannot be loaded (such a bundle), an XML
 * answer is refused with {@link StsResponseError}: never accepted unread.
 * Must have resolved before an XML body is parsed.
 */
export function loadXmlSupport(): Promise<void> {
  xmlLoading ??= importOptional('fast-xml-parser').then(
    (module) => {
      xmlParser = createXmlParser((module as { XMLParser: typeof XMLParser }).XMLParser);
    },
    (error: unknown) => {
      throw new StsResponseError(
        'STS answered XML, and fast-xml-parser cannot be loaded in this runtime or bundle to read it',
        { cause: error },
      );
    },
  );
  return xmlLoading;
}

function createXmlParser(Parser: typeof XMLParser): XMLParser {
  // `parseTagValue: false`, or `012345678901` would become a number and lose
  // its zero. Entities: only the five predefined ones are decoded; bodies
  // with a DTD never reach the parser.
  return new Parser({
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: false,
    removeNSPrefix: false,
  });
}

function getXmlParser(): XMLParser {
  // A caller bug, not a malformed body: never reported as one.
  if (xmlParser === undefined)
    throw new Error('loadXmlSupport() must resolve before XML is parsed');
  return xmlParser;
}

/**
 * The body format a `content-type` announces: `json` for `application/json`,
 * `xml` for `text/xml` or `application/xml` (parameters such as `charset`
 * ignored), otherwise `undefined`.
 */
export function bodyFormatOf(contentType: string | null): StsBodyFormat | undefined {
  if (contentType === null) return undefined;
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (media === 'application/json') return 'json';
  if (media === 'text/xml' || media === 'application/xml') return 'xml';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(value: unknown, name: string): unknown {
  return isRecord(value) && Object.hasOwn(value, name) ? value[name] : undefined;
}

/** Parse a body as `format`, or return `undefined` if it is not well-formed. */
function parseDocument(body: string, format: StsBodyFormat): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (DTD.test(body)) return undefined;
  const parser = getXmlParser();
  try {
    // `true`: validate first, so truncated or unbalanced XML is an error
    // rather than a best-effort tree.
    const document = parser.parse(body, true) as unknown;
    // One root element (the validator lets a self-closing second root through).
    return isRecord(document) && Object.keys(document).length === 1 ? document : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Read `Arn`, `Account` and `UserId` from a 200 body.
 *
 * @throws {@link StsResponseError} when the content type is not JSON or XML,
 * the body is not well-formed, has a DTD, lacks the
 * `GetCallerIdentityResponse/GetCallerIdentityResult` element, or a field is
 * missing, empty, repeated or not a string.
 */
export function parseCallerIdentityBody(
  body: string,
  contentType: string | null,
): CallerIdentityFields {
  const format = bodyFormatOf(contentType);
  if (format === undefined) {
    throw new StsResponseError(
      'STS answered 200 with a content type that is neither application/json nor text/xml',
    );
  }
  if (format === 'xml' && DTD.test(body)) {
    throw new StsResponseError('STS XML answer has a DOCTYPE or ENTITY declaration; refused');
  }
  const document = parseDocument(body, format);
  if (document === undefined) {
    throw new StsResponseError(
      `STS answer is not well-formed ${format === 'json' ? 'JSON' : 'XML'}`,
    );
  }
  const result = child(child(document, 'GetCallerIdentityResponse'), 'GetCallerIdentityResult');
  if (!isRecord(result)) {
    throw new StsResponseError(
      'STS answer has no GetCallerIdentityResponse/GetCallerIdentityResult element',
    );
  }
  const field = (name: 'Arn' | 'Account' | 'UserId'): string => {
    const value = child(result, name);
    // A repeated XML element parses to an array: which one would STS mean?
    if (typeof value !== 'string' || value === '') {
      throw new StsResponseError(
        `STS answer field ${name} is missing, empty, repeated or not a string`,
      );
    }
    return value;
  };
  return { arn: field('Arn'), account: field('Account'), userId: field('UserId') };
}

/**
 * Check that the three fields describe one consistent principal of
 * `partition`, and derive the canonical ARN, user id and session name.
 *
 * @throws {@link StsResponseError} when `Account` is not 12 digits or differs
 * from the ARN's account, the ARN is not a caller ARN (`cause`: the
 * {@link ArnError}) or names another partition, or an assumed role's `UserId`
 * is not `<id>:<session>` with the ARN's session name.
 */
export function toCallerIdentity(
  fields: CallerIdentityFields,
  partition: PartitionId,
): CallerIdentity {
  const { arn, account, userId } = fields;
  if (!ACCOUNT_ID.test(account)) throw new StsResponseError('STS answer Account is not 12 digits');
  if (!USER_ID.test(userId)) {
    throw new StsResponseError('STS answer UserId is not printable ASCII without spaces');
  }
  let canonical;
  try {
    canonical = canonicalizeArn(arn);
  } catch (error) {
    if (error instanceof ArnError) {
      throw new StsResponseError(`STS answer Arn is not a principal ARN: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (canonical.accountId !== account) {
    throw new StsResponseError("STS answer Account differs from the Arn's account");
  }
  // A verifier for one partition must not accept another's principals, even
  // from an endpoint it allowed (aws and aws-us-gov share amazonaws.com).
  if (canonical.partition !== partition) {
    throw new StsResponseError(
      `STS answer Arn is in partition "${canonical.partition}", the verifier's is "${partition}"`,
    );
  }
  switch (canonical.principalType) {
    case 'assumed-role': {
      // STS writes `<role id>:<session name>`; the session must be the ARN's.
      const colon = userId.indexOf(':');
      const id = colon === -1 ? '' : userId.slice(0, colon);
      const session = colon === -1 ? '' : userId.slice(colon + 1);
      if (id === '' || session !== canonical.sessionName) {
        throw new StsResponseError(
          "STS answer UserId of an assumed role is not <role id>:<the Arn's session name>",
        );
      }
      // Literals, not spreads of a shared base: this runs once per verification.
      return {
        arn,
        canonicalArn: canonical.canonicalArn,
        principalType: 'assumed-role',
        accountId: account,
        userId: id,
        sessionName: session,
        partition,
      };
    }
    case 'user':
    case 'root':
    case 'federated-user':
      return {
        arn,
        canonicalArn: canonical.canonicalArn,
        principalType: canonical.principalType,
        accountId: account,
        userId,
        partition,
      };
    default:
      // GetCallerIdentity never reports a bare IAM role: nobody signs as one.
      throw new StsResponseError(
        'STS answer Arn is an IAM role ARN, which GetCallerIdentity never reports',
      );
  }
}

/**
 * The AWS error code of an STS error body (XML `ErrorResponse/Error/Code`,
 * JSON `Error.Code` or `__type`), or `undefined` when there is none or it is
 * not a well-formed code. Never throws for a hostile body (XML bodies need
 * {@link loadXmlSupport} to have resolved first).
 */
export function parseStsErrorCode(body: string, contentType: string | null): string | undefined {
  if (body === '') return undefined;
  const format = bodyFormatOf(contentType);
  if (format === undefined) return undefined;
  const document = parseDocument(body, format);
  let code: unknown;
  if (format === 'xml') {
    code = child(child(child(document, 'ErrorResponse'), 'Error'), 'Code');
    code ??= child(child(document, 'Error'), 'Code');
  } else {
    code = child(child(document, 'Error'), 'Code');
    const type = child(document, '__type');
    if (code === undefined && typeof type === 'string')
      code = type.slice(type.lastIndexOf('#') + 1);
  }
  return typeof code === 'string' && AWS_ERROR_CODE.test(code) ? code : undefined;
}

/**
 * Turn STS's answer into an identity or the typed error it means.
 *
 * - 200 → {@link parseCallerIdentityBody} then {@link toCallerIdentity}; a
 *   body cut off at the byte cap is a {@link StsResponseError}.
 * - `Throttling` / `ThrottlingException` / `RequestLimitExceeded`, or 429 →
 *   {@link StsThrottledError}.
 * - 5xx → {@link StsUnavailableError}.
 * - other 4xx → {@link StsRejectedError} with the AWS code (or `undefined`
 *   when the body has none or was cut off).
 * - 3xx → {@link StsUnavailableError}; any other status → {@link StsResponseError}.
 */
export function interpretStsAnswer(answer: StsHttpAnswer, partition: PartitionId): CallerIdentity {
  const { status, contentType, body, truncated } = answer;
  if (status === 200) {
    if (truncated) {
      throw new StsResponseError('STS answer is larger than maxResponseBytes; not read to the end');
    }
    return toCallerIdentity(parseCallerIdentityBody(body, contentType), partition);
  }
  const awsCode = truncated ? undefined : parseStsErrorCode(body, contentType);
  const what = `HTTP ${status}${awsCode === undefined ? '' : ` ${awsCode}`}`;
  if (status === 429 || (awsCode !== undefined && THROTTLING_CODES.has(awsCode))) {
    throw new StsThrottledError(status, awsCode, `STS throttled the request (${what})`);
  }
  if (status >= 500) {
    throw new StsUnavailableError(`STS is unavailable (${what})`, { status });
  }
  if (status >= 400) {
    throw new StsRejectedError(status, awsCode, `STS rejected the token (${what})`);
  }
  // Redirects are never followed (the HTTP layer reports them first).
  if (status >= 300) {
    throw new StsUnavailableError(`STS answered a redirect (${what}); not followed`, { status });
  }
  throw new StsResponseError(`STS answered an unexpected status (${what})`);
}
