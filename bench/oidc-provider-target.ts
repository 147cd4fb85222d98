// panva's oidc-provider as a comparison target: bench/oidc-provider-server.ts in a child process.
import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../tests/support/portal.ts";
import { oidcProviderFlow } from "./oidc-provider-flow.ts";
import type { ClientCredentials, Target } from "./target.ts";

const TSX = path.join(process.cwd(), "node_modules/tsx/dist/cli.mjs");
const READY_TIMEOUT_MS = 30_000;

export async function startOidcProviderTarget(): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [TSX, "bench/oidc-provider-server.ts"], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), NODE_ENV: "production" },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  try {
    const clients = await waitForClients(
      url,
      () => child.exitCode !== null,
      () => output,
    );
    const json = async (pathname: string): Promise<string[]> => {
      const response = await fetch(`${url}${pathname}`, { method: "POST" });
      if (response.status !== 200) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
      return (await response.json()) as string[];
    };
    if (!child.pid) throw new Error("oidc-provider has no pid");
    return {
      name: "oidc-provider",
      url,
      rootPid: child.pid,
      paths: {
        discovery: "/.well-known/openid-configuration",
        jwks: "/jwks",
        token: "/token",
        introspect: "/token/introspection",
        userinfo: "/me",
        revoke: "/token/revocation",
      },
      client: clients.token,
      mintCodes: (count) => json(`/__bench/codes?n=${count}`),
      mintAccessTokens: (count) => json(`/__bench/access-tokens?n=${count}`),
      flow: (kind) => (kind === "no-bcrypt" ? oidcProviderFlow(url, clients.flow) : undefined),
      notes: [
        "oidc-provider 9.13.3: in-memory adapter, NODE_ENV=production, PKCE S256 required, refresh rotation, JWT (ES256) access tokens for the token scenarios; introspection and userinfo use its opaque access tokens (its userinfo refuses audience-bound JWTs); its flow uses devInteractions (no password check), so it has no bcrypt flow",
      ],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForClients(
  url: string,
  exited: () => boolean,
  output: () => string,
): Promise<{ token: ClientCredentials; flow: ClientCredentials }> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`oidc-provider exited:\n${output()}`);
    try {
      const response = await fetch(`${url}/__bench/clients`);
      if (response.status === 200) return (await response.json()) as { token: ClientCredentials; flow: ClientCredentials };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`oidc-provider did not start:\n${output()}`);
}
