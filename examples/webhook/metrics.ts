/**
 * The Go authenticator's Prometheus metrics, same names, labels and help
 * (its pkg/metrics/metrics.go), on prom-client, so dashboards and alerts built
 * for it keep working. Fed by the webhook's requests and by the verifier's
 * events (`createVerifier({ onEvent })`).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VerifyEvent } from 'eks-iam-auth';

const NAMESPACE = 'aws_iam_authenticator';

/**
 * The `result` label of `authenticate_latency_seconds`. `uknown_user` is
 * spelt as the Go authenticator spells it.
 */
export type AuthenticateResult =
  | 'success'
  | 'malformed_request'
  | 'invalid_token'
  | 'sts_error'
  | 'sts_throttling'
  | 'uknown_user';

/** The `StsRegion` value for every host not known to exist. */
export const UNKNOWN_STS_REGION = 'unknown';

/**
 * Most distinct `StsRegion` values: above every AWS region of every
 * partition, and a hard bound on the series a token's host can create.
 */
export const MAX_STS_REGION_LABELS = 64;

/**
 * The Go authenticator's `StsRegion` label (`global` for the legacy
 * endpoint, else the host's region), kept bounded. A token chooses its STS
 * host: the host policy lets through any region name a partition's pattern
 * allows, so `sts.us-madeup-9.amazonaws.com` arrives too, costs nothing to
 * make, and would become a new time series per name. A region becomes a
 * label value only once its STS endpoint has answered (an endpoint that
 * exists) or when it is the server's own region; until then, and beyond
 * {@link MAX_STS_REGION_LABELS}, the label is `unknown`.
 */
class StsRegionLabels {
  readonly #answered = new Set<string>();
  readonly #own: string | undefined;

  constructor(ownRegion?: string) {
    this.#own = ownRegion;
  }

  /** The label for `host` (as `parseToken` read it); `answered` when STS sent an HTTP answer from it. */
  labelOf(host: string, answered: boolean): string {
    if (host === 'sts.amazonaws.com') return 'global';
    // parseToken accepted the host: `sts[-fips].<region>.<suffix>`.
    const region = host.split('.')[1];
    if (region === undefined) return UNKNOWN_STS_REGION;
    if (region === this.#own || this.#answered.has(region)) return region;
    if (answered && this.#answered.size < MAX_STS_REGION_LABELS) {
      this.#answered.add(region);
      return region;
    }
    return UNKNOWN_STS_REGION;
  }
}

/** The metrics of one webhook, in their own registry. */
export class WebhookMetrics {
  readonly registry: Registry = new Registry();
  readonly #latency: Histogram<'result'>;
  readonly #stsResponses: Counter<'ResponseCode' | 'StsRegion'>;
  readonly #stsThrottling: Counter<'StsRegion'>;
  readonly #stsConnectionFailures: Counter<'StsRegion'>;
  readonly #configMapWatchFailures: Counter;
  readonly #dynamicFileFailures: Counter;
  readonly #e2eLatency: Histogram<'type'>;
  readonly #dynamicFileEnabled: Gauge;
  readonly #dynamicFileOnly: Gauge;
  readonly #regions: StsRegionLabels;

  /** @param options.region - the server's own region: always its own `StsRegion` value. */
  constructor(options: { region?: string | undefined } = {}) {
    this.#regions = new StsRegionLabels(options.region);
    const registers = [this.registry];
    this.#configMapWatchFailures = new Counter({
      name: `${NAMESPACE}_configmap_watch_failures_total`,
      help: 'EKS Configmap watch failures',
      registers,
    });
    this.#dynamicFileFailures = new Counter({
      name: `${NAMESPACE}_dynamicfile_failures_total`,
      help: 'Dynamic file failures',
      registers,
    });
    this.#stsConnectionFailures = new Counter({
      name: `${NAMESPACE}_sts_connection_failures_total`,
      help: 'Sts call could not succeed or timedout',
      labelNames: ['StsRegion'],
      registers,
    });
    this.#stsThrottling = new Counter({
      name: `${NAMESPACE}_sts_throttling_total`,
      help: 'Sts call got throttled',
      labelNames: ['StsRegion'],
      registers,
    });
    this.#stsResponses = new Counter({
      name: `${NAMESPACE}_sts_responses_total`,
      help: 'Sts responses with error code label',
      labelNames: ['ResponseCode', 'StsRegion'],
      registers,
    });
    // prom-client's default buckets are Prometheus's DefBuckets, as in Go.
    this.#latency = new Histogram({
      name: `${NAMESPACE}_authenticate_latency_seconds`,
      help: 'Authenticate call latency',
      labelNames: ['result'],
      registers,
    });
    this.#e2eLatency = new Histogram({
      name: `${NAMESPACE}_dynamic_e2e_latency_seconds`,
      help: 'End to end latency in seconds partitioned by type.',
      labelNames: ['type'],
      buckets: [1, 3, 5, 10, 15, 20, 30, 60],
      registers,
    });
    this.#dynamicFileEnabled = new Gauge({
      name: `${NAMESPACE}_dynamic_file_enabled`,
      help: 'Dynamic file in backend mode is enabled',
      registers,
    });
    this.#dynamicFileOnly = new Gauge({
      name: `${NAMESPACE}_dynamic_file_only`,
      help: 'Only dynamic file in backend mode is enabled',
      registers,
    });
  }

  /** One `/authenticate` call, from request to answer. */
  authenticated(result: AuthenticateResult, seconds: number): void {
    this.#latency.observe({ result }, seconds);
  }

  /** A verifier event: the STS answer counters, as the Go verifier counts them. */
  verifyEvent(event: VerifyEvent): void {
    if (event.stsHost === undefined || event.cached) return;
    const StsRegion = this.#regions.labelOf(event.stsHost, event.stsStatus !== undefined);
    if (event.stsStatus !== undefined) {
      this.#stsResponses.inc({ ResponseCode: String(event.stsStatus), StsRegion });
      if (event.result === 'sts_throttling') this.#stsThrottling.inc({ StsRegion });
    } else if (event.result === 'sts_error') {
      // No answer from STS: network failure, timeout, or no room in the queue.
      this.#stsConnectionFailures.inc({ StsRegion });
    }
  }

  /** A mapping file could not be read. */
  readFailure(mode: 'EKSConfigMap' | 'DynamicFile'): void {
    if (mode === 'EKSConfigMap') this.#configMapWatchFailures.inc();
    else this.#dynamicFileFailures.inc();
  }

  /** A DynamicFile reload: seconds since its `LastUpdatedDateTime`. */
  dynamicFileLatency(seconds: number): void {
    this.#e2eLatency.observe({ type: 'dynamic_file' }, seconds);
  }

  /** Which backends run, as the Go server's two DynamicFile gauges say it. */
  backendModes(modes: readonly string[]): void {
    const only = modes.length === 1 && modes[0] === 'DynamicFile';
    this.#dynamicFileOnly.set(only ? 1 : 0);
    this.#dynamicFileEnabled.set(!only && modes.includes('DynamicFile') ? 1 : 0);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Its content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
