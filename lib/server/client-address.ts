// The client's address for per-address throttling. `next start` sets X-Forwarded-For to the
// socket address only when the request has none, and a reverse proxy appends the address it saw:
// so the last entry is the one nearest to us. Without a proxy a client can choose it, which is why
// the per-account limit, not this one, is the real defence.
export function clientAddress(headers: Headers): string | undefined {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || undefined;
}
