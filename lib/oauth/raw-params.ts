// Reading request parameters. RFC 6749 §3.1: parameters MUST NOT be included more than once, and
// parameters sent without a value MUST be treated as if they were omitted.
import { InvalidRequest } from "./errors.ts";
import type { RawParams } from "./types.ts";

/** The parameter's one value; undefined when absent or empty; InvalidRequest when repeated. */
export function single(params: RawParams, name: string): string | undefined {
  const values = params.get(name);
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidRequest(`${name} must not be repeated`);
  return values[0] === "" ? undefined : values[0];
}

/** Refuses the first parameter (in request order) that occurs more than once, among `names` if given. */
export function rejectDuplicates(params: RawParams, names?: readonly string[]): void {
  const only = names ? new Set(names) : undefined;
  for (const [name, values] of params) {
    if (values.length > 1 && (!only || only.has(name))) {
      throw new InvalidRequest(`${shortName(name)} must not be repeated`);
    }
  }
}

/** A parameter name chosen by the client, short enough for an error description. */
export function shortName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}...` : name;
}

export function rawParams(entries: Iterable<readonly [string, string]>): RawParams {
  const map = new Map<string, string[]>();
  for (const [name, value] of entries) {
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  }
  return map;
}
