import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { createDb, type Db } from "../../lib/db/client.ts";
import { verifyPassword } from "../../lib/auth/password.ts";
import { accountLockKeys, passwordChangeThrottleKey } from "../../lib/auth/throttle.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { runCommand } from "../support/portal.ts";

/** Runs argv[3:] on a pseudo-terminal, types argv[1] and argv[2] at its two prompts, prints all it wrote. */
const PTY_DRIVER = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])
out = b""
def wait_for(marker):
    global out
    end = time.time() + 60
    while time.time() < end and (marker is None or marker not in out):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            out += chunk
wait_for(b"New password: ")
os.write(fd, sys.argv[1].encode() + b"\\r")
wait_for(b"Repeat it: ")
os.write(fd, sys.argv[2].encode() + b"\\r")
wait_for(None)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;
const TSX = path.join(process.cwd(), "node_modules/tsx/dist/cli.mjs");

describe(`admin command line on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  const admin = (...args: string[]) => runCommand(["scripts/admin.ts", ...args], { DATABASE_URL: database.url, BCRYPT_COST: "4" });
  /** The same, with `input` piped to its standard input. */
  const adminWithInput = (input: string, ...args: string[]) =>
    runCommand(["scripts/admin.ts", ...args], { DATABASE_URL: database.url, BCRYPT_COST: "4" }, input);

  before(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
  });
  after(async () => {
    await db.$disconnect();
    await database.drop();
  });

  test("create-user creates a user with a bcrypt hash, once", async () => {
    const result = await admin(
      "create-user",
      "--email",
      "Alice@Example.com",
      "--password",
      "alice-password-1",
      "--name",
      "Alice",
      "--admin",
      "--json",
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as { id: string; email: string; role: string };
    assert.deepEqual({ email: printed.email, role: printed.role }, { email: "alice@example.com", role: "admin" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "alice@example.com" } });
    assert.equal(user.name, "Alice");
    assert.ok(await bcrypt.compare("alice-password-1", user.passwordHash));

    const again = await admin("create-user", "--email", "alice@example.com", "--password", "alice-password-1");
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists already/);

    // Through the service layer: audited, with no password anywhere in the row.
    const events = await db.auditEvent.findMany({ where: { type: "user.created", subjectUserId: user.id } });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.actorUserId, null);
    assert.deepEqual(JSON.parse(events[0]!.detail), { email: "alice@example.com", role: "admin", via: "cli", generated: false });
    assert.ok(!JSON.stringify(events).includes("alice-password-1"));
  });

  const weak: ReadonlyArray<readonly [string, string, RegExp]> = [
    ["11 characters", "abcdefghij1", /--password must be at least 12 characters/],
    ["257 characters", "a1".repeat(128) + "b", /--password must be at most 256 characters/],
    ["a common password", "Password1234", /--password is too common/],
  ];
  for (const [name, password, message] of weak) {
    test(`create-user refuses a password of ${name}, creating nothing`, async () => {
      const before = await db.user.count();
      const result = await admin("create-user", "--email", "weak@example.com", "--password", password);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.ok(!result.stderr.includes(password) && !result.stdout.includes(password), "the password is not echoed");
      assert.equal(await db.user.count(), before);
    });
  }

  test("create-user accepts 12 characters and 256 (more than bcrypt's 72 bytes), any composition", async () => {
    for (const [email, password] of [
      ["twelve@example.com", "plain words!"],
      ["long@example.com", "ä a long passphrase ".repeat(13).slice(0, 256)],
    ] as const) {
      const result = await admin("create-user", "--email", email, "--password", password);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^Created user ${email} \\(id [0-9a-f-]+\\)\\.\n$`));
      const user = await db.user.findUniqueOrThrow({ where: { email } });
      assert.ok(await verifyPassword(password, user.passwordHash));
      assert.ok(!(await verifyPassword(password.slice(0, -1), user.passwordHash)), "every character counts");
    }
  });

  test("create-user reads the password from standard input when --password is not given", async () => {
    const result = await adminWithInput("piped in, not in history\nsecond line ignored\n", "create-user", "--email", "piped@example.com");
    assert.equal(result.code, 0, result.stderr);
    const user = await db.user.findUniqueOrThrow({ where: { email: "piped@example.com" } });
    assert.ok(await bcrypt.compare("piped in, not in history", user.passwordHash));
    assert.ok(!result.stdout.includes("piped in") && !result.stderr.includes("piped in"), "the password is not echoed");

    const weak = await adminWithInput("Password1234\n", "create-user", "--email", "weak-piped@example.com");
    assert.equal(weak.code, 2);
    assert.match(weak.stderr, /--password is too common/);
    assert.equal(await db.user.count({ where: { email: "weak-piped@example.com" } }), 0);
  });

  test("set-password <email> sets a password read from standard input, ends the sessions and is audited", async () => {
    const created = await admin(
      "create-user",
      "--email",
      "locked-out@example.com",
      "--password",
      "the first passphrase",
      "--admin",
      "--json",
    );
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const now = new Date();
    const session = await db.session.create({
      data: { tokenHash: hashToken(`cli-session-${id}`), userId: id, authTime: now, expiresAt: new Date(now.getTime() + 3_600_000) },
    });

    const result = await adminWithInput("the second passphrase\n", "set-password", "Locked-Out@example.com");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Set a new password for locked-out@example.com; 1 session ended\.\n$/);
    const user = await db.user.findUniqueOrThrow({ where: { id } });
    assert.ok(await bcrypt.compare("the second passphrase", user.passwordHash));
    assert.ok((await db.session.findUniqueOrThrow({ where: { id: session.id } })).endedAt, "the session ended");
    const events = await db.auditEvent.findMany({ where: { type: "user.password_set", subjectUserId: id } });
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0]!.detail), { email: "locked-out@example.com", via: "cli", sessionsEnded: 1 });
    assert.ok(!JSON.stringify(events).includes("passphrase") && !result.stderr.includes("second passphrase"));

    // --password works too; a weak one, an unknown account or a missing email change nothing.
    assert.equal((await admin("set-password", "locked-out@example.com", "--password", "the third passphrase")).code, 0);
    const hash = (await db.user.findUniqueOrThrow({ where: { id } })).passwordHash;
    for (const [args, input, message] of [
      [["set-password", "locked-out@example.com"], "short\n", /--password must be at least 12 characters/],
      [["set-password", "locked-out@example.com"], "", /--password is required/],
      [["set-password", "nobody@example.com"], "a fine passphrase\n", /No account has the email address "nobody@example.com"/],
      [["set-password"], "a fine passphrase\n", /set-password takes one email address/],
    ] as const) {
      const refused = await adminWithInput(input, ...args);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, message);
    }
    assert.equal((await db.user.findUniqueOrThrow({ where: { id } })).passwordHash, hash);
    assert.equal(await db.auditEvent.count({ where: { type: "user.password_set", subjectUserId: id } }), 2);
  });

  test("at a terminal, set-password asks twice without echo; two different answers change nothing", async () => {
    const created = await admin("create-user", "--email", "typist@example.com", "--password", "the typist's first passphrase", "--json");
    const { id } = JSON.parse(created.stdout) as { id: string };
    // A real pseudo-terminal (Python's pty module: Node has none), so the command sees a TTY and
    // the terminal would echo whatever it does not turn off. The script answers each prompt.
    const typed = async (first: string, second: string) =>
      new Promise<{ code: number; output: string }>((resolve) => {
        const child = spawn(
          "python3",
          ["-c", PTY_DRIVER, first, second, process.execPath, TSX, "scripts/admin.ts", "set-password", "typist@example.com"],
          {
            env: { ...process.env, DATABASE_URL: database.url, BCRYPT_COST: "4" },
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("exit", (code) => resolve({ code: code ?? 1, output }));
      });

    const mismatch = await typed("one secret passphrase", "another secret passphrase");
    assert.match(mismatch.output, /The two passwords differ: nothing was changed/);
    assert.ok(await verifyPassword("the typist's first passphrase", (await db.user.findUniqueOrThrow({ where: { id } })).passwordHash));

    const done = await typed("a typed secret passphrase", "a typed secret passphrase");
    assert.equal(done.code, 0, done.output);
    assert.match(done.output, /New password: [\s\S]*Repeat it: [\s\S]*Set a new password for typist@example.com/);
    assert.ok(!done.output.includes("typed secret"), "nothing typed was echoed");
    assert.ok(await verifyPassword("a typed secret passphrase", (await db.user.findUniqueOrThrow({ where: { id } })).passwordHash));
  });

  test("unlock <email> clears the account's failed sign-ins from every browser, never an address's", async () => {
    const created = await admin("create-user", "--email", "guessed@example.com", "--password", "a guessed-at passphrase", "--json");
    const { id } = JSON.parse(created.stdout) as { id: string };
    const { accountKey, devicePrefix } = accountLockKeys("guessed@example.com");
    const other = accountLockKeys("someone-else@example.com");
    const keys = [accountKey, `${devicePrefix}device-1`, passwordChangeThrottleKey(id), "login:address:203.0.113.9", other.accountKey];
    for (const key of keys) await db.rateLimit.create({ data: { key, windowStart: new Date(), count: 10 } });

    const result = await admin("unlock", "GUESSED@example.com");
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Unlocked guessed@example.com: its failed sign-ins are forgotten.\n");
    const left = (await db.rateLimit.findMany({ where: { key: { in: keys } } })).map((row) => row.key).sort();
    assert.deepEqual(left, ["login:address:203.0.113.9", other.accountKey].sort());
    const events = await db.auditEvent.findMany({ where: { type: "user.unlocked", subjectUserId: id } });
    assert.deepEqual(
      events.map((event) => JSON.parse(event.detail) as unknown),
      [{ email: "guessed@example.com", via: "cli", cleared: 3 }],
    );

    const again = await admin("unlock", "guessed@example.com");
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /was not locked/);
    const unknown = await admin("unlock", "nobody@example.com");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No account has the email address/);
  });

  test("a new admin must use two-step sign-in (ADMIN_SECOND_FACTOR); require-two-step and reset-two-step change it", async () => {
    const created = await admin(
      "create-user",
      "--email",
      "second-admin@example.com",
      "--password",
      "an admin passphrase 1",
      "--admin",
      "--json",
    );
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const required = async () => (await db.user.findUniqueOrThrow({ where: { id } })).secondFactorRequired;
    assert.equal(await required(), true, "required by default for a new admin");

    const off = await admin("require-two-step", "second-admin@example.com", "--off");
    assert.equal(off.code, 0, off.stderr);
    assert.equal(await required(), false);
    assert.equal((await admin("require-two-step", "second-admin@example.com")).code, 0);
    assert.equal(await required(), true);

    await db.secondFactor.create({ data: { userId: id, kind: "totp", secretEncrypted: "sealed", confirmedAt: new Date() } });
    await db.recoveryCode.create({ data: { userId: id, codeHash: `cli-reset-${id}` } });
    const reset = await admin("reset-two-step", "second-admin@example.com");
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /Reset two-step sign-in of second-admin@example.com: 1 second factor and its recovery codes removed/);
    assert.equal(await db.secondFactor.count({ where: { userId: id } }), 0);
    assert.equal(await db.recoveryCode.count({ where: { userId: id } }), 0);
    const events = await db.auditEvent.findMany({ where: { type: "second_factor.reset", subjectUserId: id } });
    assert.equal(events.length, 1);
    assert.match((await admin("reset-two-step", "second-admin@example.com")).stdout, /had no second factor/);
    assert.equal((await admin("reset-two-step", "nobody@example.com")).code, 2);
  });

  test("create-client --json prints only the id and the secret, and stores only the secret's hash", async () => {
    const result = await admin(
      "create-client",
      "--name",
      "Shop",
      "--auth-method",
      "client_secret_post",
      "--redirect-uri",
      "https://shop.example.com/cb",
      "--redirect-uri",
      "https://shop.example.com/cb2",
      "--post-logout-redirect-uri",
      "https://shop.example.com/bye",
      "--scope",
      "openid email",
      "--json",
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(printed).sort(), ["client_id", "client_secret"]);
    const row = await db.client.findUniqueOrThrow({ where: { clientId: printed.client_id! }, include: { secrets: true } });
    assert.equal(row.type, "confidential");
    assert.equal(row.tokenEndpointAuthMethod, "client_secret_post");
    assert.equal(row.redirectUris, "https://shop.example.com/cb https://shop.example.com/cb2");
    assert.equal(row.postLogoutRedirectUris, "https://shop.example.com/bye");
    assert.equal(row.scope, "openid email");
    assert.equal(row.secrets.length, 1);
    assert.equal(row.secrets[0]!.secretHash, hashToken(printed.client_secret!));
    assert.ok(printed.client_secret!.length >= 43);
  });

  test("a public client gets no secret", async () => {
    const result = await admin(
      "create-client",
      "--name",
      "CLI",
      "--auth-method",
      "none",
      "--redirect-uri",
      "http://127.0.0.1/cb",
      "--application-type",
      "native",
      "--json",
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(printed), ["client_id"]);
    const row = await db.client.findUniqueOrThrow({ where: { clientId: printed.client_id! }, include: { secrets: true } });
    assert.equal(row.type, "public");
    assert.equal(row.applicationType, "native");
    assert.equal(row.secrets.length, 0);
  });

  test("create-initial-access-token --json prints only the token and stores only its hash", async () => {
    const started = Date.now();
    const result = await admin(
      "create-initial-access-token",
      "--description",
      "Partner onboarding",
      "--expires-in-days",
      "7",
      "--single-use",
      "--json",
    );
    assert.equal(result.code, 0, result.stderr);
    const printed = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(printed), ["initial_access_token"]);
    const token = printed.initial_access_token!;
    assert.ok(token.length >= 43);
    const row = await db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    assert.equal(row.description, "Partner onboarding");
    assert.equal(row.singleUse, true);
    assert.equal(row.usedAt, null);
    assert.equal(row.revokedAt, null);
    const sevenDays = 7 * 86_400_000;
    assert.ok(row.expiresAt && row.expiresAt.getTime() >= started + sevenDays && row.expiresAt.getTime() <= Date.now() + sevenDays);
    const stored = JSON.stringify(await db.initialAccessToken.findMany());
    assert.ok(!stored.includes(token), "the token itself is never stored");
  });

  test("create-initial-access-token without options makes a reusable token that does not expire, shown once", async () => {
    const result = await admin("create-initial-access-token");
    assert.equal(result.code, 0, result.stderr);
    const token = /initial_access_token: (\S+)/.exec(result.stdout)?.[1];
    assert.ok(token, result.stdout);
    assert.match(result.stdout, /shown this once/);
    const row = await db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    assert.deepEqual(
      { singleUse: row.singleUse, expiresAt: row.expiresAt, description: row.description },
      { singleUse: false, expiresAt: null, description: "" },
    );
  });

  for (const days of ["0", "-1", "1.5", "abc", "3651"]) {
    test(`create-initial-access-token refuses --expires-in-days ${days} with exit code 2, creating nothing`, async () => {
      const before = await db.initialAccessToken.count();
      const result = await admin("create-initial-access-token", `--expires-in-days=${days}`);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--expires-in-days must be a whole number of days from 1 to 3650/);
      assert.equal(result.stdout, "");
      assert.equal(await db.initialAccessToken.count(), before);
    });
  }

  const bad: ReadonlyArray<readonly [string, string[], RegExp]> = [
    ["an unknown command", ["frobnicate"], /Unknown command "frobnicate"/],
    ["an unknown option", ["create-user", "--email", "a@b.co", "--password", "long-enough-1", "--bogus"], /Unknown option '--bogus'/],
    ["a bad email", ["create-user", "--email", "nope", "--password", "long-enough-1"], /--email must be an email address/],
    ["a missing password", ["create-user", "--email", "a@b.co"], /--password is required/],
    ["a missing auth method", ["create-client", "--name", "X", "--redirect-uri", "https://x.example.com/cb"], /--auth-method is required/],
    [
      "an unknown auth method",
      ["create-client", "--name", "X", "--auth-method", "private_key_jwt", "--redirect-uri", "https://x.example.com/cb"],
      /token_endpoint_auth_method must be one of/,
    ],
    ["no redirect URI", ["create-client", "--name", "X", "--auth-method", "none"], /at least one redirect URI/],
    [
      "an http redirect URI on a public host",
      ["create-client", "--name", "X", "--auth-method", "none", "--redirect-uri", "http://x.example.com/cb"],
      /must use https/,
    ],
    [
      "a redirect URI with a fragment",
      ["create-client", "--name", "X", "--auth-method", "none", "--redirect-uri", "https://x.example.com/cb#f"],
      /fragment/,
    ],
    [
      "an unsupported scope",
      ["create-client", "--name", "X", "--auth-method", "none", "--redirect-uri", "https://x.example.com/cb", "--scope", "openid admin"],
      /scope admin is not supported/,
    ],
  ];
  for (const [name, args, message] of bad) {
    test(`refuses ${name} with a clear message and exit code 2, changing nothing`, async () => {
      const before = { users: await db.user.count(), clients: await db.client.count() };
      const result = await admin(...args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, "");
      assert.deepEqual({ users: await db.user.count(), clients: await db.client.count() }, before);
    });
  }

  test("purge deletes expired rows and says how many", async () => {
    const result = await admin("purge", "--json");
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(Object.keys(JSON.parse(result.stdout) as object).sort(), [
      "accessTokens",
      "accountLinks",
      "auditEvents",
      "codes",
      "interactions",
      "rateLimits",
      "sessions",
      "unconfirmedFactors",
      "webAuthnChallenges",
    ]);
  });

  test("help lists every command", async () => {
    const result = await admin("help");
    assert.equal(result.code, 0);
    for (const command of ["create-user", "set-password", "unlock", "create-client", "create-initial-access-token", "purge", "help"])
      assert.match(result.stdout, new RegExp(command));
  });
});
