/**
 * The mapping sources of the webhook, as files: the server config file
 * (`MountedFile`), an `aws-auth` ConfigMap file (`EKSConfigMap`), a file of
 * `IAMIdentityMapping` objects (`CRD`) and the `DynamicFile`. Files are
 * polled; a change is parsed off to the side and swapped in whole, so a
 * request sees the old mappings or the new ones, never a mix.
 *
 * The last good mappings stay whenever a new version would never have
 * reached the Go authenticator: a ConfigMap Kubernetes refuses as an object
 * (a missing `|`: a list where a string belongs, so `kubectl apply` fails
 * and the cluster keeps the old one), a file that is not a ConfigMap at
 * all, a config file the Go server does not start with, a DynamicFile it
 * ignores. The log says why. A file is read so that a half-written one is
 * never served (see `read-file.ts`: a ConfigMap volume's atomic swap is
 * followed, a plain file must read the same twice, one poll apart). A
 * deleted file empties its source, as a deleted ConfigMap or DynamicFile
 * does for the Go authenticator.
 */
import { unwatchFile, watchFile } from 'node:fs';
import {
  parseAuthenticatorConfig,
  parseAwsAuth,
  parseDynamicFile,
  parseIdentityMappings,
  sourcesFromConfig,
} from 'eks-iam-auth';
import type {
  AuthenticatorConfig,
  AwsAuth,
  BackendMode,
  DynamicFileMappings,
  IdentityMappings,
  MappingSources,
} from 'eks-iam-auth';
import type { Log } from './log.js';
import type { WebhookMetrics } from './metrics.js';
import { readMappingFile } from './read-file.js';

/** Where each source is read from. */
export interface SourceFiles {
  /** The Go authenticator's server config file (`--config`): `MountedFile` and server settings. */
  configFile?: string | undefined;
  /** An `aws-auth` ConfigMap manifest (or its data map), for `EKSConfigMap`. */
  awsAuthFile?: string | undefined;
  /** `IAMIdentityMapping` objects (`kubectl get iamidentitymappings -o yaml`), for `CRD`. */
  identityMappingsFile?: string | undefined;
  /** The DynamicFile; defaults to the config file's `server.dynamicfilepath`. */
  dynamicFile?: string | undefined;
  /** Replaces the config file's `server.backendMode` (the `--backend-mode` flag). */
  backendMode?: readonly BackendMode[] | undefined;
}

type Kind = 'config' | 'EKSConfigMap' | 'CRD' | 'DynamicFile';

/** What a file held when it was last used (undefined: missing). */
interface FileState {
  text: string | undefined;
}

/** A read of a plain file that differs from the one in use, waiting to read the same again. */
interface Candidate {
  version: string;
  text: string | undefined;
}

/** A changed file's text, ready to parse; `undefined` from `#read` when there is none yet. */
interface Change {
  changed: boolean;
  text: string | undefined;
}

/** Why a file could not be used, in one line (never a token: mapping files hold none). */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why Kubernetes would refuse the object: `parseAwsAuth` marks what makes
 * the API server reject the whole ConfigMap (a data value that is not a
 * string) as `fatal`. Such a file never reaches the cluster, so the Go
 * authenticator keeps what it had.
 */
function refusedByKubernetes(parsed: AwsAuth): string | undefined {
  const fatal = parsed.diagnostics.find((d) => d.fatal === true);
  return fatal === undefined ? undefined : `Kubernetes refuses this object: ${fatal.message}`;
}

/** The current mappings of a webhook, reloaded from their files. */
export class MappingFiles {
  readonly #files: SourceFiles;
  readonly #log: Log;
  readonly #metrics: WebhookMetrics;
  readonly #state = new Map<Kind, FileState>();
  readonly #candidates = new Map<Kind, Candidate>();
  /** The text of each file last refused, so that it is not parsed and logged again at every poll. */
  readonly #refused = new Map<Kind, string | undefined>();
  /** The last problem logged per file, so that a file being written is logged once. */
  readonly #problems = new Map<Kind, string>();
  #settleMs = 1000;
  #recheck: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #config: AuthenticatorConfig = parseAuthenticatorConfig('');
  #awsAuth: AwsAuth = parseAwsAuth({});
  #crd: IdentityMappings = parseIdentityMappings('');
  #dynamic: DynamicFileMappings = parseDynamicFile('{}');
  #bundle: MappingSources | undefined;
  #loaded = false;
  #reloading: Promise<void> = Promise.resolve();
  readonly #watched: string[] = [];

  constructor(files: SourceFiles, log: Log, metrics: WebhookMetrics) {
    this.#files = files;
    this.#log = log;
    this.#metrics = metrics;
  }

  /** The mappings to answer with now: swapped whole on reload. */
  get current(): MappingSources {
    if (this.#bundle === undefined) throw new Error('MappingFiles: load() first');
    return this.#bundle;
  }

  /** The server config in use. */
  get config(): AuthenticatorConfig {
    return this.#config;
  }

  /** The backend modes in use, in order. */
  get backendMode(): readonly BackendMode[] {
    return this.#files.backendMode ?? this.#config.backendMode;
  }

  #pathOf(kind: Kind): string | undefined {
    switch (kind) {
      case 'config':
        return this.#files.configFile;
      case 'EKSConfigMap':
        return this.#files.awsAuthFile;
      case 'CRD':
        return this.#files.identityMappingsFile;
      case 'DynamicFile':
        return this.#files.dynamicFile ?? this.#config.dynamicFilePath;
    }
  }

  /**
   * Read every file and build the mappings. The config file must load (the
   * Go server does not start without it); the other sources start empty when
   * their file is missing or bad, as the Go authenticator's watchers do. A
   * plain file is read again `settleMs` later and used once two reads agree.
   *
   * @throws when the config file cannot be read, is refused, or keeps changing.
   */
  async load(settleMs: number = this.#settleMs): Promise<void> {
    this.#settleMs = settleMs;
    for (let attempt = 0; ; attempt++) {
      await this.#refresh();
      if (this.#candidates.size === 0 && this.#problems.size === 0) break;
      if (attempt === 4) {
        const config = this.#problems.get('config');
        if (
          config !== undefined ||
          (this.#files.configFile !== undefined && !this.#state.has('config'))
        ) {
          throw new Error(
            `${this.#files.configFile ?? 'config'}: ${config ?? 'the file keeps changing'}`,
          );
        }
        break; // the other sources start with what they have and settle while watched
      }
      await new Promise((resolve) => setTimeout(resolve, this.#settleMs));
    }
    this.#publish();
    this.#loaded = true;
  }

  /** Re-read the files now (also what a change of any of them triggers). Never rejects. */
  reload(): Promise<void> {
    this.#reloading = this.#reloading.then(() =>
      this.#refresh().catch((error: unknown) => {
        this.#log({
          level: 'error',
          msg: 'reload failed; keeping the last good mappings',
          reason: reasonOf(error),
        });
      }),
    );
    return this.#reloading;
  }

  /**
   * Poll the files every `intervalMs` and reload on any change; a changed
   * plain file is read again `intervalMs` later and used once two reads agree.
   */
  watch(intervalMs: number): void {
    this.#settleMs = intervalMs;
    for (const kind of ['config', 'EKSConfigMap', 'CRD', 'DynamicFile'] as const) {
      const path = this.#pathOf(kind);
      if (path === undefined || this.#watched.includes(path)) continue;
      this.#watched.push(path);
      watchFile(path, { interval: intervalMs, persistent: false }, () => void this.reload());
    }
  }

  /** Stop polling. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#recheck);
    for (const path of this.#watched.splice(0)) unwatchFile(path);
  }

  /** Read the files again soon: one is being written, or read once and waits for its second read. */
  #recheckSoon(): void {
    if (!this.#loaded || this.#closed || this.#watched.length === 0) return;
    if (this.#recheck !== undefined) return;
    this.#recheck = setTimeout(() => {
      this.#recheck = undefined;
      void this.reload();
    }, this.#settleMs);
    this.#recheck.unref();
  }

  /** Log a file's problem once (again only when it changes). */
  #problem(kind: Kind, path: string, reason: string, level: 'info' | 'error'): void {
    if (this.#problems.get(kind) === reason) return;
    this.#problems.set(kind, reason);
    this.#log({
      level,
      msg:
        level === 'info'
          ? 'mapping file is being written; keeping the last good mappings until it settles'
          : 'mapping file refused; keeping the last good mappings',
      source: kind,
      path,
      reason,
    });
  }

  /**
   * Read one file. `changed` is false when its text is the one in use.
   * `undefined`: nothing to use yet (being written, unusable, refused
   * before, or a plain file that has not read the same twice).
   */
  async #read(kind: Kind): Promise<Change | undefined> {
    const path = this.#pathOf(kind);
    if (path === undefined) return { changed: false, text: undefined };
    const read = await readMappingFile(path);
    if (read.state === 'unsettled' || read.state === 'refused') {
      if (read.state === 'refused' && kind !== 'config' && kind !== 'CRD') {
        if (this.#problems.get(kind) !== read.reason) this.#metrics.readFailure(kind);
      }
      this.#problem(kind, path, read.reason, read.state === 'refused' ? 'error' : 'info');
      // Being written: look again soon. Refused: the next change of the file is noticed by polling.
      if (read.state === 'unsettled') this.#recheckSoon();
      return undefined;
    }
    const text = read.state === 'text' ? read.text : undefined;
    const state = this.#state.get(kind);
    if (state !== undefined && state.text === text) {
      this.#candidates.delete(kind);
      this.#problems.delete(kind);
      this.#refused.delete(kind);
      return { changed: false, text };
    }
    if (this.#refused.has(kind) && this.#refused.get(kind) === text) return undefined;
    if (!read.settled) {
      // A plain file: use it only once a second read, a poll later, finds the same.
      const version = read.state === 'text' ? read.version : 'missing';
      const candidate = this.#candidates.get(kind);
      if (candidate === undefined || candidate.version !== version || candidate.text !== text) {
        this.#candidates.set(kind, { version, text });
        this.#recheckSoon();
        return undefined;
      }
    }
    this.#candidates.delete(kind);
    this.#problems.delete(kind);
    return { changed: true, text };
  }

  /** The text of a file is now in use (or was refused as it is). */
  #settled(kind: Kind, text: string | undefined, refused: boolean): void {
    if (refused) {
      this.#refused.set(kind, text);
    } else {
      this.#refused.delete(kind);
      this.#state.set(kind, { text });
    }
  }

  async #refresh(): Promise<void> {
    const config = await this.#read('config');
    let configChanged = false;
    if (config?.changed === true && this.#files.configFile !== undefined) {
      if (config.text === undefined) {
        this.#fail('config', this.#files.configFile, 'the file is missing', config.text);
      } else {
        const parsed = parseAuthenticatorConfig(config.text);
        this.#report('config', parsed.diagnostics);
        if (parsed.refusedBecause !== undefined)
          this.#fail('config', this.#files.configFile, parsed.refusedBecause, config.text);
        else {
          this.#config = parsed;
          this.#settled('config', config.text, false);
          configChanged = true;
        }
      }
    }
    const modes = this.backendMode;
    if (modes.includes('EKSConfigMap')) {
      this.#load(
        'EKSConfigMap',
        await this.#read('EKSConfigMap'),
        (text) => {
          const parsed = parseAwsAuth(text);
          const refusal = refusedByKubernetes(parsed);
          if (refusal !== undefined) throw new Error(refusal);
          return parsed;
        },
        (p) => (this.#awsAuth = p),
        parseAwsAuth({}),
      );
    }
    if (modes.includes('CRD')) {
      this.#load(
        'CRD',
        await this.#read('CRD'),
        (text) => parseIdentityMappings(text),
        (p) => (this.#crd = p),
        parseIdentityMappings(''),
      );
    }
    if (modes.includes('DynamicFile')) {
      const userIdStrict = this.#config.dynamicFileUserIdStrict;
      const read = await this.#read('DynamicFile');
      const wasLoaded = this.#loaded;
      this.#load(
        'DynamicFile',
        // A new strictness setting re-reads the same text.
        configChanged && read !== undefined ? { ...read, changed: true } : read,
        (text) => {
          const parsed = parseDynamicFile(text, { userIdStrict });
          if (parsed.refusedBecause !== undefined) throw new Error(parsed.refusedBecause);
          return parsed;
        },
        (p) => {
          this.#dynamic = p;
          this.#observeDynamicLatency(p, wasLoaded);
        },
        parseDynamicFile('{}', { userIdStrict }),
      );
    }
    // While loading, the files may still settle: the chain is built once, at the end.
    if (this.#loaded) this.#publish();
  }

  /** Build the chain of sources aside, then swap it in with one assignment. */
  #publish(): void {
    const modes = this.backendMode;
    const bundle = sourcesFromConfig(
      this.#config,
      { EKSConfigMap: this.#awsAuth, CRD: this.#crd, DynamicFile: this.#dynamic },
      modes,
    );
    const first = this.#bundle === undefined;
    if (first || bundle.sources.some((s, i) => s.mappings !== this.#bundle?.sources[i]?.mappings)) {
      this.#bundle = bundle;
      this.#metrics.backendModes(modes);
      this.#log({
        level: 'info',
        msg: first ? 'mappings loaded' : 'mappings reloaded',
        backendMode: modes,
        entries: bundle.sources.map((s) => ({
          mode: s.mode,
          roles: s.mappings.mapRoles.length,
          users: s.mappings.mapUsers.length,
          accounts: s.mappings.mapAccounts.length,
        })),
      });
    }
  }

  #load<T extends AwsAuth>(
    kind: Exclude<Kind, 'config'>,
    read: Change | undefined,
    parse: (text: string) => T,
    keep: (parsed: T) => void,
    empty: T,
  ): void {
    const path = this.#pathOf(kind);
    if (read === undefined || !read.changed || path === undefined) return;
    if (read.text === undefined) {
      this.#log({
        level: 'warn',
        msg: 'mapping file is missing; its source maps nobody',
        source: kind,
        path,
      });
      keep(empty);
      this.#settled(kind, undefined, false);
      return;
    }
    try {
      const parsed = parse(read.text);
      this.#report(kind, parsed.diagnostics);
      keep(parsed);
      this.#settled(kind, read.text, false);
    } catch (error) {
      // Remembered, so that the same text is not parsed (and logged) again at every poll.
      this.#settled(kind, read.text, true);
      if (kind !== 'CRD') this.#metrics.readFailure(kind);
      this.#log({
        level: 'error',
        msg: 'mapping file refused; keeping the last good mappings',
        source: kind,
        path,
        reason: reasonOf(error),
      });
    }
  }

  #fail(kind: 'config', path: string, reason: string, text: string | undefined): void {
    if (!this.#loaded) throw new Error(`${path}: ${reason}`);
    this.#settled(kind, text, true);
    this.#log({
      level: 'error',
      msg: 'config file refused; keeping the last good config',
      path,
      reason,
    });
  }

  #report(kind: Kind, diagnostics: AwsAuth['diagnostics']): void {
    for (const d of diagnostics) {
      this.#log({
        level: d.severity === 'error' ? 'error' : 'warn',
        msg: d.message,
        source: kind,
        key: d.key,
        ...(d.index === undefined ? {} : { index: d.index }),
        ...(d.line === undefined ? {} : { line: d.line }),
      });
    }
  }

  /** dynamicfile.go: the first load after start is skipped (its age says nothing about propagation). */
  #observeDynamicLatency(parsed: DynamicFileMappings, wasLoaded: boolean): void {
    const updated = Number(parsed.lastUpdatedDateTime);
    if (!wasLoaded || !Number.isSafeInteger(updated)) return;
    const age = Math.floor(Date.now() / 1000) - updated;
    if (age >= 0) this.#metrics.dynamicFileLatency(age);
  }
}
