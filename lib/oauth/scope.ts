// Scopes: RFC 6749 §3.3. A space-delimited list of case-sensitive tokens, each of
// %x21 / %x23-5B / %x5D-7E (printable ASCII less space, '"' and '\').
import { spaceList } from "./wire-values.ts";

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The tokens of a scope string, de-duplicated in order; undefined when one is malformed. */
export function parseScope(value: string): string[] | undefined {
  const tokens = spaceList(value);
  if (!tokens.every((token) => SCOPE_TOKEN.test(token))) return undefined;
  return [...new Set(tokens)];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(" ");
}

export function isSubset(requested: readonly string[], allowed: readonly string[]): boolean {
  const set = new Set(allowed);
  return requested.every((scope) => set.has(scope));
}
