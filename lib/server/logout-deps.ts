import { findClientById } from "../db/clients.ts";
import { getDb } from "../db/index.ts";
import { getKeyringCache } from "../keys/server-keyring.ts";
import type { EndSessionDeps } from "../oauth/logout/handle-end-session.ts";
import { getOAuthConfig } from "./deps.ts";

let deps: EndSessionDeps | undefined;

export function getEndSessionDeps(): EndSessionDeps {
  deps ??= {
    issuer: getOAuthConfig().issuer,
    // The cache, not a fixed keyring: a hint signed by a key this process has not loaded yet
    // triggers a reload.
    keys: async () => getKeyringCache(),
    findClient: (clientId) => findClientById(getDb(), clientId),
  };
  return deps;
}
