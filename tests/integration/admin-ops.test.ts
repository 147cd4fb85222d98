// The admin console's operations through the service layer, against a running portal: a key
// rotation is audited and reaches the JWKS within a second (the change counter, not the keyring's
// reload interval); registration tokens open and close dynamic registration; the audit queries
// filter, join the people's emails and count per day.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../../lib/auth/password.ts";
import { createUser } from "../../lib/db/users.ts";
import { auditEventTypes, dailySeries, listAuditEvents, overviewCounts } from "../../lib/services/audit-queries.ts";
import { ServiceError } from "../../lib/services/errors.ts";
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from "../../lib/services/initial-access-tokens.ts";
import { listSigningKeys, revokeSigningKey, rotateSigningKeys } from "../../lib/services/keys.ts";
import { testDatabaseKind } from "../support/db.ts";
import { startWorld, type PortalWorld } from "../support/oauth-http.ts";
import { runCommand } from "../support/portal.ts";

const SECRET = "admin-ops-test-portal-secret-of-enough-length";

describe(`admin console operations on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let actor: { userId: string; ipAddress: string; via: "console" };

  before(async () => {
    // The services in this process read the same configuration as the portal: its secret opens the keys.
    process.env.PORTAL_SECRET = SECRET;
    process.env.AUDIT_LOG = "off";
    // An hour between keyring reloads: only the change counter can make the portal see a rotation soon.
    world = await startWorld({ env: { PORTAL_SECRET: SECRET, KEY_RELOAD_SECONDS: "3600" } });
    actor = { userId: world.userId, ipAddress: "127.0.0.1", via: "console" };
  });
  after(() => world.close());

  const jwksKids = async () =>
    ((await (await fetch(`${world.issuer}/oauth/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

  async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + ms;
    do {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    return check();
  }

  test("rotating every key is audited and the running portal publishes the new kids within a second", async () => {
    const before = await jwksKids();
    assert.equal(before.length, 3);
    const rotation = await rotateSigningKeys(actor, {}, world.db);
    const newKids = rotation.created.map((key) => key.kid);
    assert.deepEqual(rotation.created.map((key) => key.alg).sort(), ["ES256", "EdDSA", "RS256"]);
    assert.deepEqual(rotation.retired.map((key) => key.kid).sort(), [...before].sort());

    const audit = await world.db.auditEvent.findMany({ where: { type: "key.rotated" } });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actorUserId, world.userId);
    assert.equal(audit[0]!.ipAddress, "127.0.0.1");
    const detail = JSON.parse(audit[0]!.detail) as { alg: string; newKids: string[]; retiredKids: string[] };
    assert.deepEqual(
      { alg: detail.alg, newKids: detail.newKids.sort(), retiredKids: detail.retiredKids.sort() },
      { alg: "all", newKids: [...newKids].sort(), retiredKids: [...before].sort() },
    );
    assert.ok(!audit[0]!.detail.includes("privateJwk") && !audit[0]!.detail.includes('"d"'), "nothing private is audited");

    assert.ok(
      await within(1_000, async () => {
        const kids = await jwksKids();
        return newKids.every((kid) => kids.includes(kid)) && before.every((kid) => kids.includes(kid));
      }),
      "the JWKS shows the new kids, and still the retired ones, within a second",
    );

    const listed = await listSigningKeys(new Date(), world.db);
    assert.deepEqual(
      listed
        .filter((key) => key.state === "active")
        .map((key) => key.kid)
        .sort(),
      [...newKids].sort(),
    );
    for (const key of listed.filter((entry) => entry.state === "retired")) assert.ok(key.publishUntil && key.retiredAt);
    assert.ok(listed.every((key) => !("privateJwkEncrypted" in key) && !("publicJwk" in key)));
  });

  test("a retired key withdrawn now leaves the running portal's JWKS within a second; an active key cannot be", async () => {
    const keys = await listSigningKeys(new Date(), world.db);
    const retired = keys.find((key) => key.state === "retired")!;
    const active = keys.find((key) => key.state === "active")!;
    await assert.rejects(
      revokeSigningKey(actor, { kid: active.kid }, world.db),
      (error: unknown) => error instanceof ServiceError && "kid" in error.fieldErrors,
    );
    assert.ok((await jwksKids()).includes(active.kid));

    assert.deepEqual(await revokeSigningKey(actor, { kid: retired.kid }, world.db), { kid: retired.kid, alg: retired.alg });
    assert.ok(
      await within(1_000, async () => !(await jwksKids()).includes(retired.kid)),
      "the withdrawn key leaves the JWKS within a second",
    );
    assert.ok(!(await listSigningKeys(new Date(), world.db)).some((key) => key.kid === retired.kid));
    const audit = await world.db.auditEvent.findFirst({ where: { type: "key.revoked" } });
    assert.equal((JSON.parse(audit!.detail) as { kid: string }).kid, retired.kid);
    await assert.rejects(revokeSigningKey(actor, { kid: retired.kid }, world.db), ServiceError);
  });

  test("one algorithm can be rotated alone; an unknown one is refused and changes nothing", async () => {
    const activeBefore = (await listSigningKeys(new Date(), world.db)).filter((key) => key.state === "active");
    const rotation = await rotateSigningKeys(actor, { alg: "ES256" }, world.db);
    assert.deepEqual(
      rotation.created.map((key) => key.alg),
      ["ES256"],
    );
    const activeAfter = (await listSigningKeys(new Date(), world.db)).filter((key) => key.state === "active");
    for (const alg of ["RS256", "EdDSA"]) {
      assert.equal(activeAfter.find((key) => key.alg === alg)!.kid, activeBefore.find((key) => key.alg === alg)!.kid);
    }
    const keyCount = await world.db.signingKey.count();
    await assert.rejects(
      rotateSigningKeys(actor, { alg: "HS256" }, world.db),
      (error: unknown) => error instanceof ServiceError && Boolean(error.fieldErrors.alg),
    );
    assert.equal(await world.db.signingKey.count(), keyCount);
    assert.equal(await world.db.auditEvent.count({ where: { type: "key.rotated" } }), 2);
  });

  test("a registration token registers clients until it is revoked", async () => {
    await assert.rejects(
      createInitialAccessToken(actor, { description: "x", expiresInDays: 0, singleUse: false }, world.db),
      (error: unknown) => error instanceof ServiceError && Boolean(error.fieldErrors.expiresInDays),
    );
    assert.equal(await world.db.initialAccessToken.count(), 0);

    const created = await createInitialAccessToken(
      actor,
      { description: "Partner onboarding", expiresInDays: 2, singleUse: false },
      world.db,
    );
    const register = () =>
      fetch(`${world.issuer}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${created.token}` },
        body: JSON.stringify({ client_name: "Partner", redirect_uris: ["https://partner.example.com/cb"] }),
      });
    assert.equal((await register()).status, 201);
    assert.equal((await register()).status, 201, "a reusable token registers again");

    const [listed] = await listInitialAccessTokens(new Date(), world.db);
    assert.equal(listed!.description, "Partner onboarding");
    assert.equal(listed!.usable, true);
    assert.ok(listed!.usedAt);
    assert.ok(!("tokenHash" in listed!));

    await revokeInitialAccessToken(actor, created.id, world.db);
    const refused = await register();
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: string }).error, "invalid_token");
    const [revoked] = await listInitialAccessTokens(new Date(), world.db);
    assert.deepEqual({ usable: revoked!.usable, revoked: Boolean(revoked!.revokedAt) }, { usable: false, revoked: true });
    await assert.rejects(revokeInitialAccessToken(actor, created.id, world.db), /revoked already/);

    const audit = await world.db.auditEvent.findMany({
      where: { type: { startsWith: "registration_token." } },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      audit.map((row) => [row.type, row.actorUserId]),
      [
        ["registration_token.created", world.userId],
        ["registration_token.revoked", world.userId],
      ],
    );
    assert.ok(
      audit.every((row) => !row.detail.includes(created.token)),
      "the token is never audited",
    );
  });

  test("the command line goes through the same services: audited, with no actor, via cli", async () => {
    const env = { DATABASE_URL: world.database.url, PORTAL_SECRET: SECRET, AUDIT_LOG: "on" };
    const iat = await runCommand(["scripts/admin.ts", "create-initial-access-token", "--description", "From the CLI", "--json"], env);
    assert.equal(iat.code, 0, iat.stderr);
    const { initial_access_token: token } = JSON.parse(iat.stdout) as { initial_access_token: string };
    const rotated = await runCommand(["scripts/keys.ts", "rotate"], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const newKids = [...rotated.stdout.matchAll(/New active \w+ key: (\S+)/g)].map((match) => match[1]);
    assert.equal(newKids.length, 3, rotated.stdout);

    const created = await world.db.auditEvent.findFirstOrThrow({
      where: { type: "registration_token.created", detail: { contains: "From the CLI" } },
    });
    assert.equal(created.actorUserId, null);
    assert.equal((JSON.parse(created.detail) as { via: string }).via, "cli");
    assert.ok(!created.detail.includes(token));
    const rotation = await world.db.auditEvent.findFirstOrThrow({ where: { type: "key.rotated" }, orderBy: { createdAt: "desc" } });
    assert.equal(rotation.actorUserId, null);
    assert.deepEqual((JSON.parse(rotation.detail) as { newKids: string[] }).newKids.sort(), newKids.sort());
    assert.ok(await within(1_000, async () => newKids.every((kid) => kid !== undefined) && (await jwksKids()).includes(newKids[0]!)));
  });

  describe("audit queries", () => {
    const at = (iso: string) => new Date(iso);
    let grace: { id: string; email: string };
    let linus: { id: string; email: string };
    let appClientId: string;

    before(async () => {
      const passwordHash = await hashPassword("not used in this test", 4);
      grace = await createUser(world.db, { email: "grace@example.com", passwordHash, role: "admin" });
      linus = await createUser(world.db, { email: "linus@example.com", passwordHash });
      appClientId = (await world.addClient({ tokenEndpointAuthMethod: "none", name: "Shop" })).clientId;
      const event = (type: string, createdAt: string, extra: Record<string, unknown> = {}) => ({
        type,
        createdAt: at(createdAt),
        detail: "{}",
        ...extra,
      });
      // March 2025, long before anything this run records itself, around "now" = 2025-03-15T12:00Z.
      await world.db.auditEvent.createMany({
        data: [
          event("signin.succeeded", "2025-03-15T00:00:00.000Z", { actorUserId: linus.id }),
          event("signin.succeeded", "2025-03-14T23:59:59.999Z", { actorUserId: grace.id }),
          event("signin.failed", "2025-03-13T05:00:00.000Z", { detail: JSON.stringify({ reason: "wrong password" }) }),
          event("signin.locked", "2025-03-13T06:00:00.000Z"),
          event("signin.failed", "2025-03-12T23:59:59.999Z"),
          event("token.issued", "2025-03-15T08:00:00.000Z", { clientId: appClientId, subjectUserId: linus.id }),
          event("token.issued", "2025-03-15T09:00:00.000Z", { clientId: appClientId, subjectUserId: linus.id }),
          event("token.issued", "2025-03-14T09:00:00.000Z", { clientId: "gone-client", subjectUserId: grace.id }),
          event("token.issued", "2025-03-16T09:00:00.000Z", { clientId: appClientId, subjectUserId: linus.id }),
          event("user.updated", "2025-03-10T10:00:00.000Z", {
            actorUserId: grace.id,
            subjectUserId: linus.id,
            detail: JSON.stringify({ role: "user", fields: ["name"] }),
          }),
          event("user.deleted", "2025-03-09T10:00:00.000Z", { actorUserId: grace.id, subjectUserId: "a-deleted-user-id" }),
        ],
      });
    });

    const march = { from: "2025-03-01", to: "2025-03-31" };

    test("the whole month, newest first, with the actor's and the subject's emails", async () => {
      const page = await listAuditEvents({ ...march, page: 1, pageSize: 50 }, world.db);
      assert.equal(page.total, 11);
      assert.deepEqual(
        page.events.map((event) => event.createdAt.toISOString()),
        page.events
          .map((event) => event.createdAt.toISOString())
          .sort()
          .reverse(),
      );
      const updated = page.events.find((event) => event.type === "user.updated")!;
      assert.deepEqual(updated.actor, { id: grace.id, email: "grace@example.com" });
      assert.deepEqual(updated.subject, { id: linus.id, email: "linus@example.com" });
      assert.deepEqual(updated.detail, { role: "user", fields: ["name"] });
      assert.deepEqual(page.events.find((event) => event.type === "user.deleted")!.subject, { id: "a-deleted-user-id", email: null });
    });

    test("filters by type, by user (email or id, as actor or subject), by client and by day", async () => {
      const types = async (query: Parameters<typeof listAuditEvents>[0]) =>
        (await listAuditEvents({ ...march, ...query }, world.db)).events.map(
          (event) => `${event.type}@${event.createdAt.toISOString().slice(0, 10)}`,
        );
      assert.deepEqual(await types({ type: "signin.failed" }), ["signin.failed@2025-03-13", "signin.failed@2025-03-12"]);
      assert.deepEqual(await types({ user: "GRACE@example.com" }), [
        "signin.succeeded@2025-03-14",
        "token.issued@2025-03-14",
        "user.updated@2025-03-10",
        "user.deleted@2025-03-09",
      ]);
      assert.deepEqual(await types({ user: linus.id, type: "user.updated" }), ["user.updated@2025-03-10"]);
      assert.deepEqual(await types({ user: "nobody@example.com" }), []);
      assert.deepEqual(await types({ clientId: "gone-client" }), ["token.issued@2025-03-14"]);
      assert.deepEqual(await types({ from: "2025-03-14", to: "2025-03-14" }), ["signin.succeeded@2025-03-14", "token.issued@2025-03-14"]);
    });

    test("pages hold pageSize events and count the pages", async () => {
      const first = await listAuditEvents({ ...march, page: 1, pageSize: 4 }, world.db);
      const third = await listAuditEvents({ ...march, page: "3", pageSize: 4 }, world.db);
      assert.deepEqual([first.events.length, third.events.length, first.pageCount, third.page], [4, 3, 3, 3]);
      assert.ok(first.events[3]!.createdAt >= third.events[0]!.createdAt);
    });

    test("bad dates are refused with a message for their field", async () => {
      await assert.rejects(
        listAuditEvents({ from: "yesterday" }, world.db),
        (error: unknown) => error instanceof ServiceError && Boolean(error.fieldErrors.from),
      );
      await assert.rejects(
        listAuditEvents({ from: "2025-03-02", to: "2025-03-01" }, world.db),
        (error: unknown) => error instanceof ServiceError && Boolean(error.fieldErrors.to),
      );
    });

    test("the event types for the filter are the distinct recorded ones, sorted", async () => {
      const types = await auditEventTypes(world.db);
      assert.deepEqual(types, [...new Set(types)].sort());
      for (const type of ["key.rotated", "registration_token.created", "signin.locked", "token.issued", "user.deleted"])
        assert.ok(types.includes(type), type);
    });

    test("daily series count sign-ins, failed sign-ins and tokens per client per UTC day", async () => {
      const series = await dailySeries(at("2025-03-15T12:00:00.000Z"), 3, world.db);
      assert.deepEqual(series.days, ["2025-03-13", "2025-03-14", "2025-03-15"]);
      assert.deepEqual(series.signIns, [0, 1, 1]);
      assert.deepEqual(series.failedSignIns, [2, 0, 0]);
      assert.deepEqual(series.tokensByClient, [
        { clientId: appClientId, name: "Shop", counts: [0, 0, 2], total: 2 },
        { clientId: "gone-client", name: null, counts: [0, 1, 0], total: 1 },
      ]);
    });

    test("overview counts: people, applications, grants not revoked, sign-ins since midnight UTC", async () => {
      const now = new Date();
      const client = await world.db.client.findUniqueOrThrow({ where: { clientId: appClientId } });
      const grant = { userId: linus.id, clientRef: client.id, scope: "openid", authTime: now };
      await world.db.grant.create({ data: grant });
      await world.db.grant.create({ data: { ...grant, revokedAt: now } });
      await world.db.auditEvent.createMany({
        data: [
          { type: "signin.succeeded", createdAt: now, actorUserId: linus.id },
          { type: "signin.succeeded", createdAt: now, actorUserId: grace.id },
          { type: "signin.failed", createdAt: now },
        ],
      });
      const counts = await overviewCounts(now, world.db);
      assert.deepEqual(counts, {
        users: await world.db.user.count(),
        clients: await world.db.client.count(),
        activeGrants: 1,
        signInsToday: 2,
      });
      // The first start's admin, the world's user, Grace and Linus.
      assert.equal(counts.users, 4);
    });
  });
});
