// Which address a request came from, when proxies may stand in between. Each proxy appends the
// address it received the request from to X-Forwarded-For, so the list read from the right, after
// the socket's own peer, walks back towards the client; only the entries added by proxies we trust
// are true, and whatever the client sent itself sits to their left. TRUST_PROXY says which ones:
// a number of hops (the proxies in front of every instance) or the proxies' own addresses.

export type TrustProxy =
  | { readonly kind: "none" }
  | { readonly kind: "hops"; readonly hops: number }
  | { readonly kind: "addresses"; readonly addresses: ReadonlySet<string> };

export const NO_PROXY: TrustProxy = { kind: "none" };

/** Parses TRUST_PROXY: empty for none, a number of hops (1–10), or a comma-separated list of IPs. */
export function parseTrustProxy(value: string | undefined): TrustProxy | { readonly problem: string } {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0" || text.toLowerCase() === "false") return NO_PROXY;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10
      ? { kind: "hops", hops }
      : { problem: "must be a number of proxies between 1 and 10, or their addresses" };
  }
  const addresses = text.split(",").map((entry) => normalizeAddress(entry.trim()));
  if (addresses.some((address) => address === undefined)) {
    return { problem: "must be a number of proxies, or a comma-separated list of their IP addresses" };
  }
  return { kind: "addresses", addresses: new Set(addresses as string[]) };
}

/**
 * The client's address. `peer` is the socket's remote address (undefined where the server cannot
 * see it, as behind plain `next start`: then the nearest forwarded entry stands in for it, which
 * is only right when the proxy is the one way in). Without trusted proxies it is the peer itself.
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | null, trust: TrustProxy): string | undefined {
  const nearestFirst: string[] = [];
  const socket = peer === undefined ? undefined : normalizeAddress(peer);
  if (socket !== undefined) nearestFirst.push(socket);
  if (trust.kind === "none") return socket;
  if (forwardedFor) {
    const entries = forwardedFor.split(",");
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const address = normalizeAddress(entries[i]!.trim());
      // A malformed entry ends the walk: nothing left of it can be trusted either.
      if (address === undefined) break;
      nearestFirst.push(address);
    }
  }
  if (nearestFirst.length === 0) return undefined;
  if (trust.kind === "hops") {
    // The socket's peer is the nearest proxy; `hops` proxies are trusted, so the answer is the
    // entry just beyond them. Without the socket, the nearest entry is the first proxy's peer.
    const index = socket === undefined ? trust.hops - 1 : trust.hops;
    return nearestFirst[Math.min(index, nearestFirst.length - 1)];
  }
  for (const address of nearestFirst) {
    if (!trust.addresses.has(address)) return address;
  }
  return nearestFirst.at(-1);
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4, brackets and case removed), or undefined. */
export function normalizeAddress(text: string): string | undefined {
  let address = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  address = address.toLowerCase();
  if (address.startsWith("::ffff:") && IPV4.test(address.slice(7))) address = address.slice(7);
  if (IPV4.test(address)) return address;
  if (address.includes(":") && IPV6.test(address) && address.length <= 45) return address;
  return undefined;
}
