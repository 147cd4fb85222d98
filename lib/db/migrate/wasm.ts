// Loads Prisma's WebAssembly schema engine by hand, once per process.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export { bindings };

/** The exports of the instantiated module that the bindings expect from wasm-bindgen. */
interface WasmExports {
  __wbindgen_start(): void;
}

let loaded = false;

/**
 * The package's entry point does `import * as wasm from "./schema_engine_bg.wasm"`, which Node
 * only accepts behind --experimental-wasm-modules. Instantiating it with the bindings module as
 * the import namespace is what that import would have done. The module is 5 MB: done once.
 */
export function loadEngine(): void {
  if (loaded) return;
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@prisma/schema-engine-wasm");
  const bytes = readFileSync(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
  // The bindings' functions are the module's imports; their declared types do not matter to it.
  const imports: Record<string, unknown> = { ...bindings };
  for (const name of Object.keys(imports)) {
    if (name.startsWith("__wbg_setTimeout_")) imports[name] = trackedSetTimeout;
  }
  const namespace = { "./schema_engine_bg.js": imports as WebAssembly.ModuleImports };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), namespace);
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as unknown as WasmExports).__wbindgen_start();
  loaded = true;
}

// The engine arms timers for its timeouts (e.g. 10 s around PostgreSQL's migration lock) and
// never clears them (its bindings have no clearTimeout): each one kept the process alive 10 s
// after the work was done. They are cleared once no engine is running any more.
const timers = new Set<NodeJS.Timeout>();
let running = 0;

function trackedSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    timers.delete(timer);
    callback();
  }, ms >>> 0);
  timers.add(timer);
  return timer;
}

/** Brackets one engine's life, so that its leftover timers can be cleared afterwards. */
export function engineStarted(): void {
  running += 1;
}

export function engineStopped(): void {
  running -= 1;
  if (running > 0) return;
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
}
