// The portal under test: the production build started exactly as the integration tests start it
// (tests/support/portal.ts → scripts/start.mjs → the front of scripts/serve.ts), on a fresh
// database, seeded through the product's own lib functions. Entry "next" measures the other entry
// point: plain `next start` on the same prepared database, as a process manager might run it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashPassword } from "../lib/auth/password.ts";
import { createSession } from "../lib/auth/sessions.ts";
import { authorizeStore } from "../lib/db/authorize-store.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { createClient } from "../lib/db/clients.ts";
import { createUser } from "../lib/db/users.ts";
import { s256 } from "../lib/oauth/pkce.ts";
import { hashToken, randomToken } from "../lib/oauth/tokens/opaque.ts";
import type { Client } from "../lib/oauth/types.ts";
import { createTestDatabase, type TestDatabaseKind } from "../tests/support/db.ts";
import { startPortal } from "../tests/support/portal.ts";
import { portalFlow } from "./portal-flow.ts";
import { ancestorUnder, listenerPid } from "./proc.ts";
import { REDIRECT_URI, VERIFIER, type FlowKind, type FlowUser, type Target } from "./target.ts";

const SESSION_POLICY = { idleSeconds: 86_400, absoluteSeconds: 86_400 } as const;
const CODE_TTL_SECONDS = 600;
/** The portal's default cost, used for the "with bcrypt" flow. */
const REAL_BCRYPT_COST = 12;
/** bcrypt's minimum: about a millisecond, so the flow measures everything but password hashing. */
const CHEAP_BCRYPT_COST = 4;
const PASSWORD = "correct horse battery staple";
const CODE_BATCH = 500;

export type PortalEntry = "front" | "next";

export interface PortalTargetOptions {
  readonly database: TestDatabaseKind;
  /** `npm start` (the front, default) or plain `next start`. */
  readonly entry?: PortalEntry;
  /** WEB_CONCURRENCY under `npm start`. */
  readonly workers?: number;
  /**
   * The server's BCRYPT_COST. The server re-hashes a password stored at another cost when its
   * owner signs in (so that the cost cannot tell known accounts from unknown ones), so a flow's
   * bcrypt cost is the server's: 4 (about 1 ms, default) measures everything but password
   * hashing; 12 (the portal's default) runs the "flow-bcrypt" scenario.
   */
  readonly bcryptCost?: 4 | 12;
  /** Extra environment for the server, e.g. NODE_OPTIONS for --cpu-prof. */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startPortalTarget(options: PortalTargetOptions): Promise<Target> {
  const database = await createTestDatabase(options.database);
  const entry = options.entry ?? "front";
  const workers = options.workers ?? 1;
  const dataDir = mkdtempSync(path.join(tmpdir(), "portal-bench-"));
  const bcryptCost = options.bcryptCost ?? CHEAP_BCRYPT_COST;
  const env = {
    BCRYPT_COST: String(bcryptCost),
    CODE_TTL_SECONDS: String(CODE_TTL_SECONDS),
    WEB_CONCURRENCY: String(workers),
    ...options.env,
  };
  const start = async () => {
    if (entry === "front") return startPortal({ databaseUrl: database.url, dataDir, env });
    // `npm start` once prepares the database and keys; then `next start` alone serves it.
    const preparer = await startPortal({ databaseUrl: database.url, dataDir, env });
    await preparer.stop();
    return startPortal({ databaseUrl: database.url, dataDir, env, serverOnly: true });
  };
  const portal = await start().catch(async (error: unknown) => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const db = createDb(database.url);
  try {
    const listener = listenerPid(portal.port);
    const rootPid = listener === null ? null : ancestorUnder(listener, process.pid);
    if (rootPid === null) throw new Error(`cannot find the portal's process on port ${portal.port}`);
    const seeded = await seed(db);
    const session = await createSession(db, seeded.userId, SESSION_POLICY, new Date());
    const mintCodes = (count: number) => mintPortalCodes(db, seeded.tokenClient, seeded.userId, session.session.id, count);
    const flows: Record<FlowKind, FlowUser> = { bcrypt: seeded.bcryptUser, "no-bcrypt": seeded.cheapUser };
    return {
      name: "portal",
      url: portal.url,
      rootPid,
      paths: {
        discovery: "/.well-known/openid-configuration",
        jwks: "/oauth/jwks",
        token: "/oauth/token",
        introspect: "/oauth/introspect",
        userinfo: "/oauth/userinfo",
        revoke: "/oauth/revoke",
      },
      client: { clientId: seeded.tokenClient.clientId, clientSecret: seeded.tokenSecret },
      mintCodes,
      flow: (kind) => portalFlow(portal.url, { clientId: seeded.flowClient.clientId, clientSecret: seeded.flowSecret }, flows[kind]),
      notes: [
        `portal: ${entry === "front" ? `npm start (the front, ${workers} worker${workers === 1 ? "" : "s"}; peak RSS is the whole tree)` : "next start alone"} (production build), ${options.database}, BCRYPT_COST=${bcryptCost}; codes prepared in the database (lib/db/authorize-store.ts), tokens from real token responses`,
        `portal flow: the user's hash has the server's cost (${CHEAP_BCRYPT_COST}, about 1 ms); flow-bcrypt runs on a server of its own with BCRYPT_COST=${REAL_BCRYPT_COST}`,
      ],
      async stop() {
        await portal.stop();
        await db.$disconnect();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await portal.stop();
    await db.$disconnect();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function seed(db: Db) {
  const [bcryptHash, cheapHash] = await Promise.all([hashPassword(PASSWORD, REAL_BCRYPT_COST), hashPassword(PASSWORD, CHEAP_BCRYPT_COST)]);
  const bcryptUser = { email: "bcrypt@bench.example.com", password: PASSWORD };
  const cheapUser = { email: "cheap@bench.example.com", password: PASSWORD };
  const user = await createUser(db, { email: bcryptUser.email, passwordHash: bcryptHash, name: "Bench Bcrypt" });
  await createUser(db, { email: cheapUser.email, passwordHash: cheapHash, name: "Bench Cheap" });
  const token = await createClient(db, {
    name: "Bench token client",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [REDIRECT_URI],
    skipConsent: true,
  });
  const flow = await createClient(db, {
    name: "Bench flow client",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [REDIRECT_URI],
  });
  if (!token.clientSecret || !flow.clientSecret) throw new Error("confidential clients must have a secret");
  return {
    userId: user.id,
    bcryptUser,
    cheapUser,
    tokenClient: token.client,
    tokenSecret: token.clientSecret,
    flowClient: flow.client,
    flowSecret: flow.clientSecret,
  };
}

/**
 * Codes exactly as GET /oauth/authorize creates them: through the authorization store, each grant
 * and code in a transaction of its own, a batch at a time (PostgreSQL spreads a batch over its pool).
 */
async function mintPortalCodes(db: Db, client: Client, userId: string, sessionId: string, count: number): Promise<string[]> {
  const codes: string[] = [];
  const challenge = s256(VERIFIER);
  const store = authorizeStore(db);
  while (codes.length < count) {
    const batch = Array.from({ length: Math.min(CODE_BATCH, count - codes.length) }, () => randomToken());
    const now = new Date();
    await Promise.all(
      batch.map((code) =>
        store.createGrantWithCode({
          codeHash: hashToken(code),
          clientRef: client.ref,
          userId,
          redirectUri: REDIRECT_URI,
          scopes: ["openid", "offline_access"],
          nonce: undefined,
          amr: ["pwd"],
          codeChallenge: challenge,
          authTime: now,
          sessionId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
        }),
      ),
    );
    codes.push(...batch);
  }
  return codes;
}
