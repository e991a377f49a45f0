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

/** The Go authenticator's STS region label: `global` for the legacy endpoint, else the host's second label. */
export function stsRegionOf(host: string): string {
  if (host === 'sts.amazonaws.com') return 'global';
  return host.split('.')[1] ?? host;
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

  constructor() {
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
    const StsRegion = stsRegionOf(event.stsHost);
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
