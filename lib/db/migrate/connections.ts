// The connections the engine opens through a driver-adapter factory, closed when it is done.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Freeing the engine does not dispose its connections (measured), and on SQLite it leaves
 * `locking_mode=EXCLUSIVE` on the file: every later connection in this process would get
 * SQLITE_BUSY. So each connection handed to the engine is disposed here, exactly once.
 */
export class Connections {
  private readonly open = new Set<SqlDriverAdapter>();
  readonly factory: SqlMigrationAwareDriverAdapterFactory;

  constructor(inner: SqlMigrationAwareDriverAdapterFactory) {
    this.factory = {
      provider: inner.provider,
      adapterName: inner.adapterName,
      connect: async () => this.track(await inner.connect()),
      connectToShadowDb: async () => this.track(await inner.connectToShadowDb()),
    };
  }

  private track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    const dispose = adapter.dispose.bind(adapter);
    this.open.add(adapter);
    adapter.dispose = async () => {
      if (!this.open.delete(adapter)) return;
      await dispose();
    };
    return adapter;
  }

  async disposeAll(): Promise<void> {
    for (const adapter of [...this.open]) await adapter.dispose();
  }
}
