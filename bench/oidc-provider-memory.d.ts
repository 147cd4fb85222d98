// oidc-provider's own in-memory adapter, whose constructor accepts the store to use
// (node_modules/oidc-provider/lib/adapters/memory_adapter.js); @types/oidc-provider omits it.
declare module "oidc-provider/lib/adapters/memory_adapter.js" {
  import type { Adapter } from "oidc-provider";

  export interface MemoryStore {
    get(key: string): unknown;
    set(key: string, value: unknown, options?: { maxAge?: number }): void;
    delete(key: string): void;
  }

  export default class MemoryAdapter implements Adapter {
    constructor(model: string, store?: MemoryStore, clockTolerance?: number);
    upsert: Adapter["upsert"];
    find: Adapter["find"];
    findByUserCode: Adapter["findByUserCode"];
    findByUid: Adapter["findByUid"];
    consume: Adapter["consume"];
    destroy: Adapter["destroy"];
    revokeByGrantId: Adapter["revokeByGrantId"];
  }
}
