// Redirect URI matching. RFC 9700 §4.1.3 and RFC 6749 §3.1.2.3: exact string comparison with a
// registered URI; no wildcards, no prefixes, no normalisation. The one exception, RFC 8252 §7.3:
// a native app's loopback IP redirect may use any port, since the port is picked at run time.
import type { Client } from "../types.ts";

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?].*)?$/;

export function matchRedirectUri(client: Client, requested: string): boolean {
  if (client.redirectUris.includes(requested)) return true;
  if (client.applicationType !== "native") return false;
  const asked = LOOPBACK.exec(requested);
  if (!asked || Number(asked[2] ?? 80) > 65535) return false;
  return client.redirectUris.some((registered) => {
    const entry = LOOPBACK.exec(registered);
    // Everything but the port must still be identical, byte for byte.
    return entry !== null && entry[1] === asked[1] && (entry[3] ?? "") === (asked[3] ?? "");
  });
}
