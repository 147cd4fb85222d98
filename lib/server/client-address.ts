// The client's address, for per-address throttling and the audit log. Under `npm start` the front
// resolved it from the socket and TRUST_PROXY (lib/front/front.ts) and says so with its token.
// Under plain `next start` the socket is out of sight: only a trusted proxy's X-Forwarded-For
// entries count (nearest first), and without TRUST_PROXY there is no address at all, because
// every entry could have been written by the client. Per-account limits apply either way.
import { getConfig } from "../env.ts";
import { resolveClientAddress } from "../front/client-address.ts";
import { frontView } from "../front/state.ts";

export function clientAddress(headers: Headers): string | undefined {
  const front = frontView(headers);
  if (front) return front.address;
  return resolveClientAddress(undefined, headers.get("x-forwarded-for"), getConfig().front.trustProxy);
}
