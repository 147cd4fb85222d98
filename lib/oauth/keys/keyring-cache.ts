// The server-wide keyring, reloaded from the KeyStore at most every `reloadIntervalSeconds`, so a
// rotation done by the CLI (or by another instance) is picked up without a restart while the hot
// path stays free of database queries. A token whose kid this process has not seen yet triggers
// an early reload (OpenID Connect Core §10.1.1: an unfamiliar kid means "fetch the keys again"),
// at most once per `unknownKidCooldownSeconds`, so random kids cannot hammer the database.
import { Keyring, type KeyStore, type PublishedKey, type VerificationKeys } from "./keyring.ts";

export interface KeyringCacheOptions {
  readonly store: KeyStore;
  readonly now?: () => Date;
  /** Default 60 s. */
  readonly reloadIntervalSeconds?: number;
  /** Default 5 s. */
  readonly unknownKidCooldownSeconds?: number;
  /** Told about a failed reload while the last good keyring stays in service. */
  readonly onReloadError?: (error: unknown) => void;
}

export class KeyringCache implements VerificationKeys {
  readonly #store: KeyStore;
  readonly #now: () => Date;
  readonly #reloadMs: number;
  readonly #cooldownMs: number;
  readonly #onReloadError: (error: unknown) => void;
  #keyring: Keyring | undefined;
  /** When the current keyring was loaded; a failed reload also counts, as a back-off. */
  #loadedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<Keyring> | undefined;

  constructor(options: KeyringCacheOptions) {
    this.#store = options.store;
    this.#now = options.now ?? (() => new Date());
    this.#reloadMs = (options.reloadIntervalSeconds ?? 60) * 1000;
    this.#cooldownMs = (options.unknownKidCooldownSeconds ?? 5) * 1000;
    this.#onReloadError = options.onReloadError ?? (() => undefined);
  }

  /** The current keyring, reloaded first when it is older than the reload interval. */
  async current(): Promise<Keyring> {
    if (this.#keyring && this.#age() < this.#reloadMs) return this.#keyring;
    return this.reload();
  }

  /** A published key; an unknown kid reloads the keyring once per cooldown before giving up. */
  async verificationKey(kid: string): Promise<PublishedKey | undefined> {
    const known = (await this.current()).verificationKey(kid);
    if (known || this.#age() < this.#cooldownMs) return known;
    return (await this.reload()).verificationKey(kid);
  }

  /** Loads now. Concurrent callers share one load; a failed load keeps serving the last keyring. */
  reload(): Promise<Keyring> {
    this.#pending ??= this.#load().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #load(): Promise<Keyring> {
    const startedAt = this.#now();
    try {
      const keyring = await Keyring.build(await this.#store.loadPublishedKeys(startedAt));
      this.#keyring = keyring;
      return keyring;
    } catch (error) {
      // A database hiccup must not take signing down: keep the last good keyring until the next
      // attempt. Without one there is nothing to serve, so the error propagates.
      if (!this.#keyring) throw error;
      this.#onReloadError(error);
      return this.#keyring;
    } finally {
      this.#loadedAt = startedAt.getTime();
    }
  }

  #age(): number {
    return this.#now().getTime() - this.#loadedAt;
  }
}
