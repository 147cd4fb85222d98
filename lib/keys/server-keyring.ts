// The server-wide keyring: one KeyringCache per process over the database, created on first use.
// (Process state like the database client, so bundled copies and dev reloads share it.)
import { getDb } from "../db/index.ts";
import { signingKeyStore } from "../db/signing-keys.ts";
import { getConfig } from "../env.ts";
import { KeyringCache } from "../oauth/keys/keyring-cache.ts";
import type { Keyring } from "../oauth/keys/keyring.ts";
import { resolvePortalSecret } from "../portal-secret.ts";
import { processState } from "../process-state.ts";

/** The cache itself, for verification: it reloads on a kid it has not seen yet. */
export function getKeyringCache(): KeyringCache {
  return processState("keyring-cache", () => {
    const config = getConfig();
    const { secret } = resolvePortalSecret(config);
    return new KeyringCache({
      store: signingKeyStore(getDb(), secret),
      reloadIntervalSeconds: config.keyReloadSeconds,
      onReloadError: (error) => console.error("Reloading the signing keys failed; serving the last ones:", error),
    });
  });
}

export function getKeyring(): Promise<Keyring> {
  return getKeyringCache().current();
}
