// A TCP proxy on loopback between the portal and PostgreSQL, which a test can "cut".
import net from "node:net";

// The portal reaches PostgreSQL through this proxy on loopback, which a test can "cut": either
// refusing (every connection, open or new, is closed at once) or a blackhole (connections stay
// open and new ones are accepted, but nothing is forwarded: a network partition).
export type Mode = "forward" | "refuse" | "blackhole";

export interface Proxy {
  readonly port: number;
  setMode(mode: Mode): void;
  close(): Promise<void>;
}

export async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  let mode: Mode = "forward";
  const open = new Set<{ client: net.Socket; upstream?: net.Socket }>();
  const server = net.createServer((client) => {
    client.on("error", () => undefined);
    if (mode === "refuse") return void client.destroy();
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    open.add(pair);
    client.on("close", () => {
      pair.upstream?.destroy();
      open.delete(pair);
    });
    if (mode === "blackhole") return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    pair.upstream = upstream;
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setMode(next) {
      mode = next;
      for (const pair of open) {
        if (next === "refuse") pair.client.destroy();
        if (next === "blackhole" && pair.upstream) {
          // Stop forwarding both ways; the sockets stay open and silent.
          pair.client.unpipe(pair.upstream);
          pair.upstream.unpipe(pair.client);
          pair.client.pause();
          pair.upstream.pause();
        }
      }
    },
    async close() {
      for (const pair of open) pair.client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
