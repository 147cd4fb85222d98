// The admin command line, for operators and scripts (the dashboard reuses the same lib functions).
// Works on the database the server uses: the same .env files and DATABASE_URL as `npm start`.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MAX_PASSWORD_LENGTH } from "../lib/auth/password-limits.ts";
import { z } from "zod";
import { passwordSchemaFor } from "../lib/auth/password-policy.ts";
import { createDb, type Db } from "../lib/db/client.ts";
import { applyMigrations } from "../lib/db/migrate/index.ts";
import { getDb } from "../lib/db/index.ts";
import { loadEnvFiles } from "../lib/env-files.ts";
import { ConfigError, parseEnv } from "../lib/env.ts";
import { createClient } from "../lib/services/clients.ts";
import { ServiceError } from "../lib/services/errors.ts";
import { purgeExpiredRows } from "../lib/services/maintenance.ts";
import { createInitialAccessToken } from "../lib/services/initial-access-tokens.ts";
import { resetSecondFactors } from "../lib/services/second-factor.ts";
import { createUser, findAccountByEmail, setPassword, setSecondFactorRequired, unlockUser } from "../lib/services/users.ts";

const HELP = `Usage: npm run admin -- <command> [options]

Commands:
  create-user    --email E [--password P] [--name N] [--admin] [--json]
                 Create a user (an admin with --admin). The password has 12 to 256
                 characters and is not a common one. Without --password it is read from
                 standard input (its first line) or, at a terminal, asked for without echo,
                 so it stays out of the shell's history.
  set-password   <email> [--password P]
                 Give the account a new password (read as for create-user) and end its
                 sessions: for an admin who cannot sign in any more.
  unlock         <email>
                 Clear the failed sign-ins that lock the account (ten in 15 minutes), from
                 every browser, so its owner can try again at once.
  reset-two-step <email>
                 Remove the account's second factors (authenticator apps, passkeys) and
                 recovery codes: for someone who lost them, an admin locked out included. An
                 account that requires two-step sign-in sets up a new factor at its next sign-in.
  require-two-step <email> [--off]
                 Require two-step sign-in of the account (or, with --off, stop requiring it).
  create-client  --name N --auth-method client_secret_basic|client_secret_post|none
                 --redirect-uri U [--redirect-uri U2 …] [--post-logout-redirect-uri U …]
                 [--scope "openid profile email offline_access"] [--application-type web|native]
                 [--skip-consent] [--json]
                 Register an OAuth client. A confidential client's secret is printed once.
                 With --json, stdout is one JSON object: {"client_id": …, "client_secret": …}.
  create-initial-access-token  [--description D] [--expires-in-days N] [--single-use] [--json]
                 Create a token that allows dynamic client registration (RFC 7591) at
                 /oauth/register. It is printed once; only its hash is stored. Without
                 --expires-in-days it does not expire; with --single-use it registers one client.
                 With --json, stdout is one JSON object: {"initial_access_token": …}.
  purge          [--json]
                 Delete rows that outlived every use (expired access tokens, codes, interactions,
                 sessions, set-ups of second factors never finished); the server also does
                 this every PURGE_INTERVAL_SECONDS.
  help           This message.

The database is DATABASE_URL (default: the SQLite file under DATA_DIR), as for npm start.`;

class UsageError extends Error {}

const userOptions = {
  email: { type: "string" },
  password: { type: "string" },
  name: { type: "string" },
  admin: { type: "boolean" },
  json: { type: "boolean" },
} satisfies ParseArgsConfig["options"];

const clientOptions = {
  name: { type: "string" },
  "auth-method": { type: "string" },
  "redirect-uri": { type: "string", multiple: true },
  "post-logout-redirect-uri": { type: "string", multiple: true },
  scope: { type: "string" },
  "application-type": { type: "string" },
  "skip-consent": { type: "boolean" },
  json: { type: "boolean" },
} satisfies ParseArgsConfig["options"];

const initialAccessTokenOptions = {
  description: { type: "string" },
  "expires-in-days": { type: "string" },
  "single-use": { type: "boolean" },
  json: { type: "boolean" },
} satisfies ParseArgsConfig["options"];

function parse<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The options and the one <email> a command names its account by. */
function parseWithEmail<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: T) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [email, ...extra] = parsed.positionals;
  if (!email || extra.length) throw new UsageError(`${command} takes one email address: npm run admin -- ${command} <email>`);
  return { email, values: parsed.values };
}

/**
 * A password from --password, else from standard input: its first line when piped, or typed at a
 * prompt without echo (twice, to catch a typo). Either way it stays out of the shell's history.
 */
async function readPassword(flag: string | undefined): Promise<string> {
  if (flag !== undefined) return flag;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > 64 * 1024) break;
    }
    const line = Buffer.concat(chunks).toString("utf8").split(/\r?\n/, 1)[0] ?? "";
    if (!line) throw new UsageError("--password is required: pass it on standard input (one line) or type it at the prompt");
    return line;
  }
  const first = await promptHidden("New password: ");
  const second = await promptHidden("Repeat it: ");
  if (first !== second) throw new UsageError("The two passwords differ: nothing was changed");
  return first;
}

/** Reads one line from the terminal with echo off (raw mode), on standard error's prompt. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  // Echo off before the prompt shows, so nothing typed after it can appear.
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === "\r" || character === "\n") {
          finish();
          return resolve(typed);
        }
        if (character === "\u0003" || character === "\u0004") {
          finish();
          return reject(new UsageError("Cancelled: nothing was changed"));
        }
        if (character === "\u007f" || character === "\b") typed = [...typed].slice(0, -1).join("");
        else if (typed.length <= MAX_PASSWORD_LENGTH * 2) typed += character;
      }
    };
    stdin.on("data", onData);
  });
}

async function createUserCommand(args: string[]): Promise<void> {
  const values = parse(args, userOptions);
  // The flags' own messages first; the service checks the same rule again (passwordSchema).
  const flags = z
    .object({
      email: z.email("--email must be an email address"),
      name: z.string().max(100, "--name must be at most 100 characters").optional(),
    })
    .safeParse({ email: values.email, name: values.name });
  if (!flags.success) throw new UsageError(flags.error.issues.map((issue) => issue.message).join("; "));
  const password = checkedPassword(await readPassword(values.password));
  const input = { data: { ...flags.data, password } };
  const db = getDb();
  try {
    const { user } = await createUser(
      { userId: null, via: "cli" },
      { email: input.data.email, password: input.data.password, name: input.data.name ?? "", role: values.admin ? "admin" : "user" },
    );
    if (values.json) console.log(JSON.stringify({ id: user.id, email: user.email, role: user.role }));
    else console.log(`Created ${user.role === "admin" ? "admin" : "user"} ${user.email} (id ${user.id}).`);
  } catch (error) {
    if (error instanceof ServiceError) throw new UsageError(error.message);
    throw error;
  } finally {
    await db.$disconnect();
  }
}

function checkedPassword(password: string): string {
  const checked = passwordSchemaFor("--password").safeParse(password);
  if (!checked.success) throw new UsageError(checked.error.issues.map((issue) => issue.message).join("; "));
  return checked.data;
}

async function accountByEmail(email: string) {
  const account = await findAccountByEmail(email);
  if (!account) throw new UsageError(`No account has the email address ${JSON.stringify(email.slice(0, 254))}`);
  return account;
}

/** Runs a command on the services' own database connection, and closes it after. */
async function withServices(work: () => Promise<void>): Promise<void> {
  const db = getDb();
  try {
    await work();
  } catch (error) {
    if (error instanceof ServiceError) throw new UsageError(error.message);
    throw error;
  } finally {
    await db.$disconnect();
  }
}

async function setPasswordCommand(args: string[]): Promise<void> {
  const { email, values } = parseWithEmail("set-password", args, { password: { type: "string" } });
  await withServices(async () => {
    const account = await accountByEmail(email);
    const password = checkedPassword(await readPassword(values.password));
    const { user, sessionsEnded } = await setPassword({ userId: null, via: "cli" }, { userId: account.id, password });
    console.log(`Set a new password for ${user.email}; ${sessionsEnded} session${sessionsEnded === 1 ? "" : "s"} ended.`);
  });
}

async function unlockCommand(args: string[]): Promise<void> {
  const { email } = parseWithEmail("unlock", args, {});
  await withServices(async () => {
    const account = await accountByEmail(email);
    const { user, cleared } = await unlockUser({ userId: null, via: "cli" }, account.id);
    console.log(cleared ? `Unlocked ${user.email}: its failed sign-ins are forgotten.` : `${user.email} was not locked; nothing to clear.`);
  });
}

async function resetTwoStepCommand(args: string[]): Promise<void> {
  const { email } = parseWithEmail("reset-two-step", args, {});
  await withServices(async () => {
    const account = await accountByEmail(email);
    const { factorsDeleted } = await resetSecondFactors({ userId: null, via: "cli" }, { userId: account.id });
    console.log(
      factorsDeleted > 0
        ? `Reset two-step sign-in of ${account.email}: ${factorsDeleted} second factor${factorsDeleted === 1 ? "" : "s"} and its recovery codes removed.`
        : `${account.email} had no second factor; nothing to remove.`,
    );
  });
}

async function requireTwoStepCommand(args: string[]): Promise<void> {
  const { email, values } = parseWithEmail("require-two-step", args, { off: { type: "boolean" } });
  await withServices(async () => {
    const account = await accountByEmail(email);
    const user = await setSecondFactorRequired({ userId: null, via: "cli" }, account.id, !values.off);
    console.log(values.off ? `${user.email} may sign in without a second factor.` : `${user.email} must use two-step sign-in.`);
  });
}

async function createClientCommand(db: Db, args: string[]): Promise<void> {
  const values = parse(args, clientOptions);
  if (!values["auth-method"]) throw new UsageError("--auth-method is required");
  // The same operation, validation and audit entry as the admin console's (lib/services/clients.ts).
  const { client, clientSecret } = await createClient(
    { userId: null, via: "cli" },
    {
      name: values.name,
      tokenEndpointAuthMethod: values["auth-method"],
      redirectUris: values["redirect-uri"] ?? [],
      postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
      ...(values.scope !== undefined ? { scopes: values.scope } : {}),
      ...(values["application-type"] !== undefined ? { applicationType: values["application-type"] } : {}),
      skipConsent: values["skip-consent"] ?? false,
    },
    db,
  );
  if (values.json) {
    console.log(
      JSON.stringify(clientSecret ? { client_id: client.clientId, client_secret: clientSecret } : { client_id: client.clientId }),
    );
    return;
  }
  console.log(`Registered "${client.name}" (${client.type}, ${client.tokenEndpointAuthMethod}).`);
  console.log(`  client_id:     ${client.clientId}`);
  if (clientSecret) console.log(`  client_secret: ${clientSecret}\n\nThe secret is shown this once; only its hash is stored.`);
}

async function createInitialAccessTokenCommand(db: Db, args: string[]): Promise<void> {
  const values = parse(args, initialAccessTokenOptions);
  const input = z
    .object({
      description: z.string().max(200, "--description must be at most 200 characters").optional(),
      expiresInDays: z
        .string()
        .regex(/^[1-9][0-9]{0,3}$/, "--expires-in-days must be a whole number of days from 1 to 3650")
        .transform(Number)
        .refine((days) => days <= 3650, "--expires-in-days must be a whole number of days from 1 to 3650")
        .optional(),
    })
    .safeParse({ description: values.description, expiresInDays: values["expires-in-days"] });
  if (!input.success) throw new UsageError(input.error.issues.map((issue) => issue.message).join("; "));
  const { expiresInDays, description } = input.data;
  const { token, expiresAt } = await createInitialAccessToken(
    { userId: null, via: "cli" },
    {
      ...(description !== undefined ? { description } : {}),
      ...(expiresInDays !== undefined ? { expiresInDays } : {}),
      singleUse: values["single-use"] ?? false,
    },
    db,
  );
  if (values.json) {
    console.log(JSON.stringify({ initial_access_token: token }));
    return;
  }
  const use = values["single-use"] ? "registers one client" : "registers any number of clients";
  console.log(`Created an initial access token that ${use} and ${expiresAt ? `expires ${expiresAt.toISOString()}` : "does not expire"}.`);
  console.log(`  initial_access_token: ${token}\n\nThe token is shown this once; only its hash is stored.`);
  console.log('Send it as "Authorization: Bearer <token>" to POST /oauth/register (RFC 7591).');
}

async function purgeCommand(db: Db, args: string[], auditRetentionDays: number): Promise<void> {
  const values = parse(args, { json: { type: "boolean" } });
  const result = await purgeExpiredRows(new Date(), auditRetentionDays, db);
  if (values.json) console.log(JSON.stringify(result));
  else
    console.log(
      `Deleted ${Object.entries(result)
        .map(([what, count]) => `${count} ${what}`)
        .join(", ")}.`,
    );
}

/** The service's field names (lib/services/client-input.ts) as this command's flags. */
const CLIENT_FLAGS: Readonly<Record<string, string>> = {
  name: "--name",
  tokenEndpointAuthMethod: "--auth-method",
  redirectUris: "--redirect-uri",
  postLogoutRedirectUris: "--post-logout-redirect-uri",
  scopes: "--scope",
  applicationType: "--application-type",
};

const COMMANDS = [
  "create-user",
  "set-password",
  "unlock",
  "reset-two-step",
  "require-two-step",
  "create-client",
  "create-initial-access-token",
  "purge",
] as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    console.log(HELP);
    return command ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command "${command}"`);
  loadEnvFiles();
  // A command's standard output is its answer (one JSON object with --json): the services' audit
  // log lines go to standard error instead, and their rows to the database as always.
  process.env.AUDIT_LOG = "stderr";
  const config = parseEnv(process.env);
  await applyMigrations(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  try {
    if (command === "create-user") await createUserCommand(args);
    else if (command === "set-password") await setPasswordCommand(args);
    else if (command === "unlock") await unlockCommand(args);
    else if (command === "reset-two-step") await resetTwoStepCommand(args);
    else if (command === "require-two-step") await requireTwoStepCommand(args);
    else if (command === "create-client") await createClientCommand(db, args);
    else if (command === "purge") await purgeCommand(db, args, config.auditRetentionDays);
    else await createInitialAccessTokenCommand(db, args);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`${error.message}\n\nRun "npm run admin -- help" for the commands and their options.`);
    process.exitCode = 2;
  } else if (error instanceof ServiceError) {
    const problems = Object.entries(error.fieldErrors).map(
      ([field, messages]) => `${CLIENT_FLAGS[field] ?? field}: ${messages.join("; ")}`,
    );
    console.error(`Invalid client: ${problems.length ? problems.join("\n  ") : error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`admin failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
