// The server-wide keyring: one KeyringCache per process over the database, created on first use.
// (Kept on globalThis like the database client, so Next's dev reloads do not multiply it.)
import { getDb } from "../db/index.ts";
import { signingKeyStore } from "../db/signing-keys.ts";
import { getConfig } from "../env.ts";
import { KeyringCache } from "../oauth/keys/keyring-cache.ts";
import type { Keyring } from "../oauth/keys/keyring.ts";
import { resolvePortalSecret } from "../portal-secret.ts";

const holder = globalThis as typeof globalThis & { __portalKeyringCache?: KeyringCache };

/** The cache itself, for verification: it reloads on a kid it has not seen yet. */
export function getKeyringCache(): KeyringCache {
  if (!holder.__portalKeyringCache) {
    const config = getConfig();
    const { secret } = resolvePortalSecret(config.portalSecret, config.dataDir);
    holder.__portalKeyringCache = new KeyringCache({
      store: signingKeyStore(getDb(), secret),
      reloadIntervalSeconds: config.keyReloadSeconds,
      onReloadError: (error) => console.error("Reloading the signing keys failed; serving the last ones:", error),
    });
  }
  return holder.__portalKeyringCache;
}

export function getKeyring(): Promise<Keyring> {
  return getKeyringCache().current();
}
