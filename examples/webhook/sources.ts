/**
 * The mapping sources of the webhook, as files: the server config file
 * (`MountedFile`), an `aws-auth` ConfigMap file (`EKSConfigMap`), a file of
 * `IAMIdentityMapping` objects (`CRD`) and the `DynamicFile`. Files are
 * polled; a change is parsed off to the side and swapped in whole, so a
 * request sees the old mappings or the new ones, never a mix. A file that
 * does not parse (or that the Go authenticator would refuse) leaves that
 * source as it was, and the log says why; a deleted file empties its source,
 * as a deleted ConfigMap or DynamicFile does for the Go authenticator.
 */
import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
import type { WebhookMetrics } from './metrics.js';

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

/** A structured log line. */
export type Log = (record: {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [key: string]: unknown;
}) => void;

type Kind = 'config' | 'EKSConfigMap' | 'CRD' | 'DynamicFile';

interface FileState {
  /** The text last read (undefined: missing). */
  text: string | undefined;
}

/** Why a file could not be used, in one line (never a token: mapping files hold none). */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The current mappings of a webhook, reloaded from their files. */
export class MappingFiles {
  readonly #files: SourceFiles;
  readonly #log: Log;
  readonly #metrics: WebhookMetrics;
  readonly #state = new Map<Kind, FileState>();
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
   * their file is missing or bad, as the Go authenticator's watchers do.
   *
   * @throws when the config file cannot be read or is refused.
   */
  async load(): Promise<void> {
    await this.#refresh();
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

  /** Poll the files every `intervalMs` and reload on any change. */
  watch(intervalMs: number): void {
    for (const kind of ['config', 'EKSConfigMap', 'CRD', 'DynamicFile'] as const) {
      const path = this.#pathOf(kind);
      if (path === undefined || this.#watched.includes(path)) continue;
      this.#watched.push(path);
      watchFile(path, { interval: intervalMs, persistent: false }, () => void this.reload());
    }
  }

  /** Stop polling. */
  close(): void {
    for (const path of this.#watched.splice(0)) unwatchFile(path);
  }

  /** Read one file; `changed` is false when its text is what was read last time. */
  async #read(kind: Kind): Promise<{ changed: boolean; text: string | undefined }> {
    const path = this.#pathOf(kind);
    if (path === undefined) return { changed: false, text: undefined };
    const text = await readText(path);
    const state = this.#state.get(kind);
    const changed = state === undefined || state.text !== text;
    this.#state.set(kind, { text });
    return { changed, text };
  }

  async #refresh(): Promise<void> {
    const config = await this.#read('config');
    let configChanged = false;
    if (config.changed && this.#files.configFile !== undefined) {
      if (config.text === undefined) {
        this.#fail('config', this.#files.configFile, 'the file is missing');
      } else {
        const parsed = parseAuthenticatorConfig(config.text);
        this.#report('config', parsed.diagnostics);
        if (parsed.refusedBecause !== undefined)
          this.#fail('config', this.#files.configFile, parsed.refusedBecause);
        else {
          this.#config = parsed;
          configChanged = true;
        }
      }
    }
    const modes = this.backendMode;
    if (modes.includes('EKSConfigMap')) {
      this.#load(
        'EKSConfigMap',
        await this.#read('EKSConfigMap'),
        (text) => parseAwsAuth(text),
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
        configChanged ? { ...read, changed: true } : read,
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
    // Build the new chain aside, then swap it in with one assignment.
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
    read: { changed: boolean; text: string | undefined },
    parse: (text: string) => T,
    keep: (parsed: T) => void,
    empty: T,
  ): void {
    const path = this.#pathOf(kind);
    if (!read.changed || path === undefined) return;
    if (read.text === undefined) {
      this.#log({
        level: 'warn',
        msg: 'mapping file is missing; its source maps nobody',
        source: kind,
        path,
      });
      keep(empty);
      return;
    }
    try {
      const parsed = parse(read.text);
      this.#report(kind, parsed.diagnostics);
      keep(parsed);
    } catch (error) {
      // Forget the text so that the same file is parsed (and reported) again next time.
      this.#state.delete(kind);
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

  #fail(kind: 'config', path: string, reason: string): void {
    this.#state.delete(kind);
    if (!this.#loaded) throw new Error(`${path}: ${reason}`);
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
