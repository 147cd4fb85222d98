// The one home of process-wide state. Next.js bundles a lib module more than once (route
// handlers, server components, server actions and instrumentation each get their own copy), so
// a module-level variable is not one per process: a cache or a database client kept in one would
// be split between copies, and a change seen by one copy missed by the others. Everything that
// must be one per process is kept here, by name, on a single globalThis slot.
const SLOT = Symbol.for("identity-portal.process-state");

type Registry = Map<string, unknown>;

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [SLOT]?: Registry };
  return (holder[SLOT] ??= new Map());
}

/** The process's one value under `name`, created by `init` on first use. */
export function processState<T>(name: string, init: () => T): T {
  const values = registry();
  if (!values.has(name)) values.set(name, init());
  return values.get(name) as T;
}

/** Replaces (or, with undefined, forgets) the value under `name`. */
export function setProcessState<T>(name: string, value: T | undefined): void {
  if (value === undefined) registry().delete(name);
  else registry().set(name, value);
}
