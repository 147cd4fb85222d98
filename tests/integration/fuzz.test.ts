// Malformed, oversized, duplicated and non-UTF-8 input at every OAuth endpoint of the running
// portal (docs/protocol.md "Token endpoint": no input produces a 5xx other than an unreachable
// database's 503, nor a stack trace). Requests are written as raw bytes over node:net, so the
// request line, headers and body can hold anything.
// Deterministic: a seeded PRNG generates the random cases, and a table holds the hand-picked ones.
// Bounded: a few hundred requests, to 127.0.0.1 only.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { testDatabaseKind } from "../support/db.ts";
import {
  basicAuth,
  leakedMarker,
  newPkce,
  rawRequest,
  REDIRECT_URI,
  startWorld,
  type PortalWorld,
  type RawResponse,
  type RegisteredClient,
} from "../support/oauth-http.ts";

const SEED = 0x5eed_0a17;
const CASES_PER_TARGET = 50;
const FORM = "application/x-www-form-urlencoded";

type Target = "authorize-get" | "authorize-post" | "token" | "revoke" | "introspect";
const PATHS: Record<Target, string> = {
  "authorize-get": "/oauth/authorize",
  "authorize-post": "/oauth/authorize",
  token: "/oauth/token",
  revoke: "/oauth/revoke",
  introspect: "/oauth/introspect",
};
const TARGETS = Object.keys(PATHS) as Target[];

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RawSpec {
  readonly method: string;
  /** The request target, as bytes (may hold anything). */
  readonly target: Buffer | string;
  /** Header lines without CRLF; each may hold any byte but CR and LF. */
  readonly headers?: ReadonlyArray<Buffer | string>;
  readonly body?: Buffer | string;
  /** Omit the Content-Length header the builder adds for a body. */
  readonly noContentLength?: boolean;
  /** Omit the Host header. */
  readonly noHost?: boolean;
}

function buildRequest(spec: RawSpec, port: number): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body as string | Buffer);
  const lines: Buffer[] = [
    Buffer.concat([Buffer.from(`${spec.method} `), Buffer.from(spec.target as string | Buffer), Buffer.from(" HTTP/1.1")]),
  ];
  if (!spec.noHost) lines.push(Buffer.from(`Host: 127.0.0.1:${port}`));
  lines.push(Buffer.from("Connection: close"));
  for (const header of spec.headers ?? []) lines.push(Buffer.from(header as string | Buffer));
  if (body !== undefined && !spec.noContentLength) lines.push(Buffer.from(`Content-Length: ${body.length}`));
  const head = Buffer.concat(lines.flatMap((line) => [line, Buffer.from("\r\n")]));
  return Buffer.concat([head, Buffer.from("\r\n"), body ?? Buffer.alloc(0)]);
}

/** Bytes from a string written with \xNN escapes meaning raw bytes (latin1). */
const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

describe(`fuzzing the OAuth endpoints on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let issuer: string;
  let web: RegisteredClient;
  let spa: RegisteredClient;

  before(async () => {
    world = await startWorld();
    issuer = world.issuer;
    web = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
    spa = await world.addClient({ tokenEndpointAuthMethod: "none", skipConsent: true });
  });

  after(async () => {
    await world?.close();
  });

  /** What is wrong with a response, if anything: a 5xx, a stack trace, a foreign Location. */
  function problemsOf(response: RawResponse): string[] {
    const problems: string[] = [];
    if (response.status < 100 || response.status >= 500) problems.push(`status ${response.status}`);
    const marker = leakedMarker(response.body);
    if (marker !== undefined) problems.push(`body contains ${JSON.stringify(marker)}: ${response.body.slice(0, 300)}`);
    const location = response.headers.location;
    if (typeof location === "string" && !location.startsWith(`${issuer}/`) && !location.startsWith(`${REDIRECT_URI}?`)) {
      // A relative redirect within this site (Next's trailing-slash redirect) is fine.
      if (!(location.startsWith("/") && !location.startsWith("//"))) problems.push(`Location ${location}`);
    }
    return problems;
  }

  async function send(spec: RawSpec): Promise<{ response?: RawResponse; problems: string[] }> {
    try {
      const response = await rawRequest(world.portal.port, buildRequest(spec, world.portal.port));
      return { response, problems: problemsOf(response) };
    } catch (error) {
      return { problems: [`no HTTP response: ${(error as Error).message}`] };
    }
  }

  function describeSpec(spec: RawSpec): string {
    const show = (value: Buffer | string | undefined, max = 160) => {
      if (value === undefined) return "";
      const text = Buffer.from(value as string | Buffer).toString("latin1");
      const escaped = JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} bytes)` : text);
      return escaped;
    };
    const headers = (spec.headers ?? []).map((header) => show(header, 80)).join(", ");
    return `${spec.method} ${show(spec.target)} [${headers}] body=${show(spec.body)}`;
  }

  // ── the seeded generator ────────────────────────────────────────────────────────────────────

  function generator(seed: number) {
    const random = prng(seed);
    const int = (max: number) => Math.floor(random() * max);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
    const chance = (p: number) => random() < p;
    const enc = (text: string) => bytes(encodeURIComponent(text));

    const names = [
      "client_id",
      "redirect_uri",
      "response_type",
      "scope",
      "state",
      "code_challenge",
      "code_challenge_method",
      "nonce",
      "prompt",
      "max_age",
      "login_hint",
      "response_mode",
      "request",
      "request_uri",
      "grant_type",
      "code",
      "code_verifier",
      "refresh_token",
      "client_secret",
      "token",
      "token_type_hint",
      "access_token",
    ];
    const fragments = [
      "%ff",
      "%fe%ff",
      "%c3%28",
      "%c0%af",
      "%e0%80%af",
      "%ed%a0%80",
      "%f4%90%80%80",
      "%00",
      "%",
      "%%",
      "%g1",
      "%4",
      "+",
      "=",
      "==",
      "&",
      "%26",
      "%3d",
      "%0d%0a",
      "%0a",
      "\xff",
      "\x00",
      "\xc3\x28",
      "\xc0\xaf",
      "%f0%9f%98%80",
      "%ef%bb%bf",
      "\x7f",
      "\t",
      "\r\n",
      "%22%3e%3cscript%3ealert(1)%3c%2fscript%3e",
      "'%3b%20DROP%20TABLE%20Client%3b--",
      "..%2f..%2fetc%2fpasswd",
      "__proto__",
      "constructor",
      "%7b%22a%22%3a1%7d",
      "%5b%5d",
      "null",
      "undefined",
      "NaN",
      "-1",
      "1e308",
      "99999999999999999999",
      "0x10",
    ];
    const goodValue = (name: string): Buffer => {
      const pkce = newPkce();
      const values: Record<string, string> = {
        client_id: pick([web.clientId, spa.clientId]),
        redirect_uri: REDIRECT_URI,
        response_type: "code",
        scope: pick(["openid", "openid offline_access", "openid profile email"]),
        state: "st",
        code_challenge: pkce.challenge,
        code_challenge_method: "S256",
        nonce: "n",
        prompt: pick(["none", "login", "consent"]),
        max_age: "60",
        grant_type: pick(["authorization_code", "refresh_token"]),
        code: pkce.verifier,
        code_verifier: pkce.verifier,
        refresh_token: pkce.verifier,
        client_secret: web.clientSecret!,
        token: pick([pkce.verifier, "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.e30.sig"]),
        token_type_hint: pick(["access_token", "refresh_token", "id_token"]),
      };
      return enc(values[name] ?? "x");
    };
    const randomBytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256)));
    const value = (name: string): Buffer => {
      switch (int(9)) {
        case 0:
        case 1:
        case 2:
          return goodValue(name);
        case 3:
          return bytes(pick(fragments));
        case 4:
          return Buffer.concat([goodValue(name), bytes(pick(fragments))]);
        case 5:
          return randomBytes(int(64));
        case 6:
          return bytes("A".repeat(pick([255, 256, 8192, 8193, 20_000])));
        case 7:
          return Buffer.alloc(0);
        default:
          return Buffer.concat(Array.from({ length: 1 + int(4) }, () => bytes(pick(fragments))));
      }
    };
    const form = (): Buffer => {
      const parts: Buffer[] = [];
      const count = int(14);
      for (let i = 0; i < count; i++) {
        const name = chance(0.85) ? bytes(pick(names)) : value("junk");
        if (chance(0.05)) parts.push(name);
        else parts.push(Buffer.concat([name, bytes("="), value(name.toString("latin1"))]));
        // Duplicates, the same or a different value.
        if (chance(0.12)) parts.push(Buffer.concat([name, bytes("="), value(name.toString("latin1"))]));
      }
      if (chance(0.05)) parts.push(bytes(""));
      return Buffer.concat(parts.flatMap((part, index) => (index === 0 ? [part] : [bytes(pick(["&", "&", "&", "&&", ";"])), part])));
    };
    /** A request target may not hold CTL, space or (mostly) non-ASCII: escape those, usually. */
    const queryBytes = (raw: Buffer): Buffer => {
      if (chance(0.08)) return raw;
      return Buffer.from(
        [...raw].flatMap((byte) =>
          byte > 0x20 && byte < 0x7f && byte !== 0x23 ? [byte] : [...bytes(`%${byte.toString(16).padStart(2, "0")}`)],
        ),
      );
    };
    const contentType = (): string | Buffer | undefined =>
      pick<string | Buffer | undefined>([
        FORM,
        FORM,
        FORM,
        FORM,
        `${FORM}; charset=UTF-8`,
        `${FORM}; charset=ISO-8859-1`,
        "APPLICATION/X-WWW-FORM-URLENCODED",
        ` ${FORM} `,
        `${FORM};;;`,
        "application/json",
        "text/plain",
        "multipart/form-data; boundary=xyz",
        "application/xml",
        "",
        undefined,
        bytes(`${FORM}\xff`),
        `${FORM}, application/json`,
        "*/*",
        "a".repeat(2000),
      ]);
    const authorization = (): string | Buffer | undefined =>
      pick<string | Buffer | undefined>([
        undefined,
        undefined,
        undefined,
        basicAuth(web.clientId, web.clientSecret!),
        basicAuth(web.clientId, "wrong"),
        basicAuth("nobody", "x"),
        basicAuth(`${web.clientId}\u0000`, "x"),
        "Basic",
        "Basic ",
        "Basic ====",
        "Basic !!!!",
        `Basic ${Buffer.from("no-colon").toString("base64")}`,
        `Basic ${Buffer.from([0xff, 0x3a, 0xfe]).toString("base64")}`,
        `Basic ${Buffer.from("%ff:%c3%28").toString("base64")}`,
        `Basic ${Buffer.from(":").toString("base64")}`,
        `Basic ${Buffer.from(`${"a".repeat(300)}:${"b".repeat(300)}`).toString("base64")}`,
        `Basic ${"A".repeat(9000)}`,
        bytes("Basic \xff\xfe"),
        "Bearer abc",
        "Bearer",
        "Digest username=x",
        "   ",
        "Basic YQ==:",
      ]);
    const cookie = (): string | undefined =>
      pick([
        undefined,
        undefined,
        world.cookie,
        "portal_session=",
        `portal_session=${"x".repeat(129)}`,
        "portal_session=%ff%00",
        `${world.cookie}; ${world.cookie}`,
        `portal_session=a; portal_session=b`,
        `portal_session=${"c".repeat(8000)}`,
        "=; ;=;",
      ]);
    const method = (target: Target): string => {
      if (target === "authorize-get") return chance(0.9) ? "GET" : pick(["HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]);
      return chance(0.88) ? "POST" : pick(["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
    };

    return (target: Target): RawSpec => {
      const headers: Array<string | Buffer> = [];
      const auth =
        target === "authorize-get" || target === "authorize-post" ? (chance(0.1) ? authorization() : undefined) : authorization();
      if (auth !== undefined) headers.push(Buffer.concat([bytes("Authorization: "), Buffer.from(auth as string | Buffer)]));
      const jar = cookie();
      if (jar !== undefined) headers.push(`Cookie: ${jar}`);
      const chosenMethod = method(target);
      if (target === "authorize-get") {
        return { method: chosenMethod, target: Buffer.concat([bytes(`${PATHS[target]}?`), queryBytes(form())]), headers };
      }
      const type = chance(0.9) ? contentType() : undefined;
      if (type !== undefined) headers.push(Buffer.concat([bytes("Content-Type: "), Buffer.from(type as string | Buffer)]));
      const query = chance(0.1) ? Buffer.concat([bytes("?"), queryBytes(form())]) : Buffer.alloc(0);
      let body = form();
      if (chance(0.04)) body = Buffer.concat([body, bytes("&padding="), bytes("p".repeat(pick([65_000, 70_000, 200_000])))]);
      return { method: chosenMethod, target: Buffer.concat([bytes(PATHS[target]), query]), headers, body };
    };
  }

  for (const [index, target] of TARGETS.entries()) {
    test(`${CASES_PER_TARGET} seeded random requests to ${target} never answer 5xx nor leak a stack trace`, async () => {
      const next = generator(SEED + index);
      const failures: string[] = [];
      for (let i = 0; i < CASES_PER_TARGET; i++) {
        const spec = next(target);
        const { problems } = await send(spec);
        if (problems.length > 0) failures.push(`#${i}: ${problems.join("; ")}\n    ${describeSpec(spec)}`);
      }
      assert.deepEqual(failures, [], `seed ${SEED + index}: ${failures.length} failing case(s):\n${failures.slice(0, 15).join("\n")}`);
    });
  }

  // ── hand-written nasty cases ────────────────────────────────────────────────────────────────

  const formHeaders = [`Content-Type: ${FORM}`];
  const post = (target: Target, body: Buffer | string, headers: ReadonlyArray<string | Buffer> = formHeaders): RawSpec => ({
    method: "POST",
    target: PATHS[target],
    headers,
    body,
  });
  const POST_TARGETS: readonly Target[] = ["authorize-post", "token", "revoke", "introspect"];

  interface NastyCase {
    readonly name: string;
    readonly targets: readonly Target[];
    readonly spec: (target: Target) => RawSpec;
  }

  const ONE_MB = "x".repeat(1024 * 1024);
  const HUNDRED_KB = "v".repeat(100 * 1024);
  const authorizeQuery = (extra: string) =>
    `/oauth/authorize?response_type=code&client_id=${web.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=openid&code_challenge=${newPkce().challenge}&code_challenge_method=S256${extra}`;

  // Every spec reads the clients only when called, so the table can be built before before() ran.
  const NASTY: readonly NastyCase[] = [
    {
      name: "a 1 MB form body",
      targets: POST_TARGETS,
      spec: (t) => post(t, `grant_type=authorization_code&client_id=${spa.clientId}&pad=${ONE_MB}`),
    },
    {
      name: "a 1 MB JSON body",
      targets: POST_TARGETS,
      spec: (t) => post(t, JSON.stringify({ pad: ONE_MB }), ["Content-Type: application/json"]),
    },
    {
      name: "a 1 MB body declared with a small Content-Length header",
      targets: POST_TARGETS,
      spec: (t) => ({ ...post(t, `a=${ONE_MB}`, [...formHeaders, "Content-Length: 10"]), noContentLength: true }),
    },
    {
      name: "a 1 MB body sent chunked in 4 KiB chunks",
      targets: POST_TARGETS,
      spec: (t) => ({
        ...post(t, chunked(`client_id=${spa.clientId}&pad=${ONE_MB}`, 4096), [...formHeaders, "Transfer-Encoding: chunked"]),
        noContentLength: true,
      }),
    },
    {
      name: "a 100 KB parameter in the body",
      targets: POST_TARGETS,
      spec: (t) => post(t, `client_id=${spa.clientId}&token=${HUNDRED_KB}&code=${HUNDRED_KB}`),
    },
    {
      name: "a 60 KB parameter, just under the body limit",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, `grant_type=refresh_token&client_id=${spa.clientId}&refresh_token=${"r".repeat(60_000)}&token=${"t".repeat(1000)}`),
    },
    {
      name: "a 100 KB parameter in the query",
      targets: TARGETS,
      spec: (t) => ({
        method: t === "authorize-get" ? "GET" : "POST",
        target: `${PATHS[t]}?state=${HUNDRED_KB}`,
        headers: formHeaders,
        body: "",
      }),
    },
    {
      name: "a 12 KB state in the query, under the header limit",
      targets: ["authorize-get"],
      spec: () => ({ method: "GET", target: authorizeQuery(`&state=${"s".repeat(12_000)}`) }),
    },
    {
      name: "a 12 KB client_id",
      targets: TARGETS,
      spec: (t) =>
        t === "authorize-get"
          ? { method: "GET", target: `/oauth/authorize?client_id=${"c".repeat(12_000)}` }
          : post(t, `client_id=${"c".repeat(12_000)}&token=x&grant_type=authorization_code`),
    },
    {
      name: "raw 0xff bytes in the body",
      targets: POST_TARGETS,
      spec: (t) => post(t, bytes(`client_id=${spa.clientId}&token=\xff\xfe&code=\xff&state=\xff`)),
    },
    {
      name: "raw 0xff bytes in a parameter name",
      targets: POST_TARGETS,
      spec: (t) => post(t, bytes(`client_id=${spa.clientId}&\xff\xff=1`)),
    },
    {
      name: "percent-encoded %ff",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=%ff&token=%ff&grant_type=%ff&redirect_uri=%ff`),
    },
    {
      name: "an invalid UTF-8 sequence %c3%28",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=${spa.clientId}&state=%c3%28&token=%c3%28&code=%c3%28`),
    },
    {
      name: "an overlong encoding %c0%af",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=%c0%af&redirect_uri=..%c0%af..%c0%afetc&token=%c0%af`),
    },
    {
      name: "an encoded surrogate %ed%a0%80",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=${web.clientId}&state=%ed%a0%80&token=%ed%a0%80`),
    },
    {
      name: "a code point above U+10FFFF (%f4%90%80%80)",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=%f4%90%80%80&token=%f4%90%80%80`),
    },
    {
      name: "a truncated sequence at the end (%e2%82)",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=${spa.clientId}&token=%e2%82`),
    },
    {
      name: "a UTF-8 byte order mark before the first name",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `%ef%bb%bfclient_id=${spa.clientId}&token=x&grant_type=authorization_code`),
    },
    {
      name: "a raw 0xff byte in the request line",
      targets: TARGETS,
      spec: (t) => ({
        method: t === "authorize-get" ? "GET" : "POST",
        target: bytes(`${PATHS[t]}?client_id=\xff\xfe`),
        headers: formHeaders,
        body: "",
      }),
    },
    {
      name: "a raw NUL byte in the request line",
      targets: TARGETS,
      spec: (t) => ({
        method: t === "authorize-get" ? "GET" : "POST",
        target: bytes(`${PATHS[t]}?client_id=a\x00b`),
        headers: formHeaders,
        body: "",
      }),
    },
    {
      name: "a NUL byte (%00) in client_id",
      targets: TARGETS,
      spec: (t) =>
        formOrQuery(
          t,
          `client_id=${spa.clientId}%00&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&token=x&grant_type=authorization_code`,
        ),
    },
    {
      name: "a NUL byte (%00) alone as client_id",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `client_id=%00&token=x&grant_type=refresh_token&refresh_token=x`),
    },
    {
      name: "a raw NUL byte in the body",
      targets: POST_TARGETS,
      spec: (t) => post(t, bytes(`client_id=${spa.clientId}\x00&token=\x00&grant_type=\x00`)),
    },
    {
      name: "NUL bytes in every parameter of a valid-looking request",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => formOrQuery(t, authorizeQuery("&state=%00&nonce=%00&login_hint=%00&prompt=%00&max_age=%00").split("?")[1]!),
    },
    {
      name: "NUL bytes in state, nonce, login_hint and ui_locales of a signed-in request",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("&state=a%00b&nonce=a%00b&login_hint=a%00b&ui_locales=a%00b").split("?")[1]!),
        headers: [...formHeaders, `Cookie: ${world.cookie}`],
      }),
    },
    {
      name: "NUL in the refresh token and code",
      targets: ["token"],
      spec: (t) => post(t, `grant_type=refresh_token&client_id=${spa.clientId}&refresh_token=%00`),
    },
    {
      name: "NUL in the code_verifier and redirect_uri",
      targets: ["token"],
      spec: (t) => post(t, `grant_type=authorization_code&client_id=${spa.clientId}&code=%00&redirect_uri=%00&code_verifier=%00`),
    },
    {
      name: "NUL in the token and token_type_hint",
      targets: ["revoke", "introspect"],
      spec: (t) =>
        post(t, `token=%00&token_type_hint=%00`, [...formHeaders, `Authorization: ${basicAuth(web.clientId, web.clientSecret!)}`]),
    },
    {
      name: "a NUL byte in the Basic client_id",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "grant_type=authorization_code&token=x", [...formHeaders, `Authorization: ${basicAuth(`${web.clientId}\u0000`, "x")}`]),
    },
    {
      name: "every parameter twice",
      targets: TARGETS,
      spec: (t) =>
        formOrQuery(
          t,
          `client_id=${spa.clientId}&client_id=${spa.clientId}&grant_type=authorization_code&grant_type=refresh_token&token=a&token=b&redirect_uri=x&redirect_uri=y`,
        ),
    },
    {
      name: "a thousand repeated parameters",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, Array.from({ length: 1000 }, (_, i) => `p${i % 7}=${i}`).join("&")),
    },
    { name: "ten thousand empty pairs", targets: POST_TARGETS, spec: (t) => post(t, "&".repeat(10_000)) },
    {
      name: "names without values and values without names",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, "client_id&=x&==&token&grant_type=&&="),
    },
    {
      name: "prototype-polluting names",
      targets: TARGETS,
      spec: (t) => formOrQuery(t, `__proto__=x&constructor=y&prototype=z&hasOwnProperty=1&client_id=${spa.clientId}&toString=2`),
    },
    { name: "a stray percent sign", targets: TARGETS, spec: (t) => formOrQuery(t, `client_id=%&token=%%&state=%g1&grant_type=%2`) },
    { name: "no Content-Type", targets: POST_TARGETS, spec: (t) => post(t, "token=x", []) },
    {
      name: "Content-Type application/json",
      targets: POST_TARGETS,
      spec: (t) => post(t, '{"token":"x","client_id":"y"}', ["Content-Type: application/json"]),
    },
    {
      name: "Content-Type multipart/form-data",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, '--b\r\nContent-Disposition: form-data; name="token"\r\n\r\nx\r\n--b--\r\n', [
          "Content-Type: multipart/form-data; boundary=b",
        ]),
    },
    { name: "Content-Type text/plain", targets: POST_TARGETS, spec: (t) => post(t, "token=x", ["Content-Type: text/plain"]) },
    {
      name: "a UTF-16 charset on a form",
      targets: POST_TARGETS,
      spec: (t) => post(t, Buffer.from("token=x", "utf16le"), [`Content-Type: ${FORM}; charset=UTF-16`]),
    },
    {
      name: "a Content-Type with a raw 0xff byte",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x", [bytes(`Content-Type: ${FORM}\xff`)]),
    },
    {
      name: "a 10 KB Content-Type",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x", [`Content-Type: ${FORM}; x=${"y".repeat(10_000)}`]),
    },
    {
      name: "two Content-Type headers",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x", [`Content-Type: ${FORM}`, "Content-Type: application/json"]),
    },
    {
      name: "a non-numeric Content-Length",
      targets: POST_TARGETS,
      spec: (t) => ({ ...post(t, "token=x", [...formHeaders, "Content-Length: abc"]), noContentLength: true }),
    },
    {
      name: "a negative Content-Length",
      targets: POST_TARGETS,
      spec: (t) => ({ ...post(t, "token=x", [...formHeaders, "Content-Length: -1"]), noContentLength: true }),
    },
    {
      name: "two different Content-Length headers",
      targets: POST_TARGETS,
      spec: (t) => ({ ...post(t, "token=x", [...formHeaders, "Content-Length: 7", "Content-Length: 3"]), noContentLength: true }),
    },
    {
      name: "Content-Length and Transfer-Encoding together",
      targets: POST_TARGETS,
      spec: (t) => post(t, chunked("token=x", 3), [...formHeaders, "Transfer-Encoding: chunked"]),
    },
    {
      name: "a broken chunked body",
      targets: POST_TARGETS,
      spec: (t) => ({ ...post(t, "zz\r\ntoken=x\r\n0\r\n\r\n", [...formHeaders, "Transfer-Encoding: chunked"]), noContentLength: true }),
    },
    {
      name: "Basic with invalid base64",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x&grant_type=authorization_code", [...formHeaders, "Authorization: Basic %%%not-base64%%%"]),
    },
    {
      name: "Basic with unpadded base64",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "token=x&grant_type=authorization_code", [
          ...formHeaders,
          `Authorization: Basic ${Buffer.from(`${web.clientId}:x`).toString("base64").replace(/=+$/, "")}`,
        ]),
    },
    {
      name: "Basic without a colon",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "token=x&grant_type=authorization_code", [
          ...formHeaders,
          `Authorization: Basic ${Buffer.from(web.clientId).toString("base64")}`,
        ]),
    },
    {
      name: "Basic with invalid UTF-8 in id and secret",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "token=x&grant_type=authorization_code", [
          ...formHeaders,
          `Authorization: Basic ${Buffer.from([0xff, 0xc0, 0x3a, 0xed, 0xa0, 0x80]).toString("base64")}`,
        ]),
    },
    {
      name: "Basic with percent-encoded invalid UTF-8",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "token=x&grant_type=authorization_code", [
          ...formHeaders,
          `Authorization: Basic ${Buffer.from("%ff%fe:%c3%28").toString("base64")}`,
        ]),
    },
    {
      name: "a huge Basic header (12 KB)",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "token=x&grant_type=authorization_code", [
          ...formHeaders,
          `Authorization: Basic ${Buffer.from(`${"i".repeat(4500)}:${"s".repeat(4500)}`).toString("base64")}`,
        ]),
    },
    {
      name: "an oversized Basic header (40 KB)",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x", [...formHeaders, `Authorization: Basic ${"QUFB".repeat(10_000)}`]),
    },
    {
      name: "raw non-ASCII bytes in the Authorization header",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x", [...formHeaders, bytes("Authorization: Basic \xff\xfe\xfd\xfc")]),
    },
    {
      name: "a control character in the Authorization header",
      targets: POST_TARGETS,
      spec: (t) => post(t, "token=x", [...formHeaders, bytes("Authorization: Basic YTpi\x01")]),
    },
    {
      name: "two Authorization headers",
      targets: POST_TARGETS,
      spec: (t) =>
        post(t, "token=x&grant_type=authorization_code", [
          ...formHeaders,
          `Authorization: ${basicAuth(web.clientId, web.clientSecret!)}`,
          "Authorization: Basic YTpi",
        ]),
    },
    {
      name: "an Authorization header with only a scheme",
      targets: TARGETS,
      spec: (t) => ({ ...formOrQuery(t, "token=x"), headers: [...formHeaders, "Authorization: Basic"] }),
    },
    {
      name: "a Bearer JWT of garbage",
      targets: TARGETS,
      spec: (t) => ({
        ...formOrQuery(t, "token=x"),
        headers: [...formHeaders, `Authorization: Bearer ${"a".repeat(5000)}.${"b".repeat(5000)}.c`],
      }),
    },
    {
      name: "a 12 KB session cookie",
      targets: TARGETS,
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("").split("?")[1]!),
        headers: [...formHeaders, `Cookie: portal_session=${"k".repeat(12_000)}`],
      }),
    },
    {
      name: "a 40 KB cookie header",
      targets: TARGETS,
      spec: (t) => ({ ...formOrQuery(t, authorizeQuery("").split("?")[1]!), headers: [...formHeaders, `Cookie: a=${"k".repeat(40_000)}`] }),
    },
    {
      name: "a thousand cookies",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("").split("?")[1]!),
        headers: [...formHeaders, `Cookie: ${Array.from({ length: 1000 }, (_, i) => `c${i}=${i}`).join("; ")}`],
      }),
    },
    {
      name: "a session cookie with non-UTF-8 bytes",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("").split("?")[1]!),
        headers: [...formHeaders, bytes("Cookie: portal_session=\xff\xfe%ff%00")],
      }),
    },
    {
      name: "the valid session cookie twice with garbage",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("").split("?")[1]!),
        headers: [...formHeaders, `Cookie: portal_session=bad; ${world.cookie}; portal_session=%`],
      }),
    },
    { name: "PUT", targets: TARGETS, spec: (t) => ({ ...post(t, "token=x"), method: "PUT" }) },
    { name: "DELETE", targets: TARGETS, spec: (t) => ({ ...post(t, "token=x"), method: "DELETE" }) },
    { name: "PATCH", targets: TARGETS, spec: (t) => ({ ...post(t, "token=x"), method: "PATCH" }) },
    { name: "OPTIONS", targets: TARGETS, spec: (t) => ({ method: "OPTIONS", target: PATHS[t] }) },
    { name: "HEAD", targets: TARGETS, spec: (t) => ({ method: "HEAD", target: PATHS[t] }) },
    { name: "an unknown method", targets: TARGETS, spec: (t) => ({ ...post(t, "token=x"), method: "BREW" }) },
    {
      name: "GET with a form body",
      targets: TARGETS,
      spec: (t) => ({ ...post(t, "token=x&grant_type=authorization_code"), method: "GET" }),
    },
    { name: "no Host header", targets: TARGETS, spec: (t) => ({ ...formOrQuery(t, authorizeQuery("").split("?")[1]!), noHost: true }) },
    {
      name: "a Host header with a raw 0xff byte",
      targets: TARGETS,
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("").split("?")[1]!),
        noHost: true,
        headers: [...formHeaders, bytes("Host: evil\xff.example.com")],
      }),
    },
    {
      name: "forged X-Forwarded headers",
      targets: TARGETS,
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("").split("?")[1]!),
        headers: [
          ...formHeaders,
          "X-Forwarded-Host: evil.example.com",
          "X-Forwarded-Proto: gopher",
          "Forwarded: host=evil.example.com;proto=https",
          "X-Forwarded-For: ::::",
        ],
      }),
    },
    { name: "a trailing slash on the path", targets: TARGETS, spec: (t) => ({ ...formOrQuery(t, "token=x"), target: `${PATHS[t]}/` }) },
    {
      name: "an encoded path (%2f, %00, ..)",
      targets: TARGETS,
      spec: (t) => ({ ...formOrQuery(t, "token=x"), target: `${PATHS[t].replace("/oauth/", "/oauth%2f")}%00/..%2f..` }),
    },
    {
      name: "a matrix parameter on the path",
      targets: TARGETS,
      spec: (t) => ({ ...formOrQuery(t, "token=x"), target: `${PATHS[t]};jsessionid=1?client_id=x` }),
    },
    {
      name: "a fragment in the request target",
      targets: TARGETS,
      spec: (t) => ({ ...formOrQuery(t, "token=x"), target: `${PATHS[t]}?client_id=x#frag` }),
    },
    { name: "Expect: 100-continue", targets: POST_TARGETS, spec: (t) => post(t, "token=x", [...formHeaders, "Expect: 100-continue"]) },
    {
      name: "Accept asks for HTML only",
      targets: TARGETS,
      spec: (t) => ({ ...formOrQuery(t, "token=x&client_id=nobody"), headers: [...formHeaders, "Accept: text/html"] }),
    },
    {
      name: "HTML and script in every parameter",
      targets: TARGETS,
      spec: (t) =>
        formOrQuery(
          t,
          `client_id=${encodeURIComponent("<script>alert(1)</script>")}&redirect_uri=javascript:alert(1)&token=%3Cimg%20src%3Dx%3E&grant_type=%3Cb%3E`,
        ),
    },
    {
      name: "a javascript: redirect_uri",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => formOrQuery(t, `client_id=${web.clientId}&redirect_uri=javascript%3Aalert(1)&response_type=code`),
    },
    {
      name: "a redirect_uri with CRLF",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) =>
        formOrQuery(
          t,
          `client_id=${web.clientId}&redirect_uri=${encodeURIComponent(`${REDIRECT_URI}\r\nSet-Cookie: x=1`)}&response_type=code`,
        ),
    },
    {
      name: "a state with CRLF and a huge error-inducing scope",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) =>
        formOrQuery(
          t,
          authorizeQuery(`&state=${encodeURIComponent("a\r\nLocation: https://evil.example.com")}&scope=${"x".repeat(8000)}`).split(
            "?",
          )[1]!,
        ),
    },
    {
      name: "max_age beyond any integer",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => formOrQuery(t, authorizeQuery("&max_age=999999999999999999999999&prompt=none").split("?")[1]!),
    },
    {
      name: "a valid request with a valid session (control)",
      targets: ["authorize-get", "authorize-post"],
      spec: (t) => ({
        ...formOrQuery(t, authorizeQuery("&state=ok&nonce=ok").split("?")[1]!),
        headers: [...formHeaders, `Cookie: ${world.cookie}`],
      }),
    },
  ];

  /** The same parameters in the query (authorize GET) or as a form body (everything else). */
  function formOrQuery(target: Target, query: string): RawSpec {
    if (target === "authorize-get") return { method: "GET", target: `${PATHS[target]}?${query}` };
    return post(target, bytes(query));
  }

  function chunked(body: string, size: number): Buffer {
    const parts: Buffer[] = [];
    const data = Buffer.from(body);
    for (let offset = 0; offset < data.length; offset += size) {
      const chunk = data.subarray(offset, offset + size);
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
    }
    parts.push(Buffer.from("0\r\n\r\n"));
    return Buffer.concat(parts);
  }

  // Known gap, kept visible: Next.js's own router answers an absolute-form request target
  // (`GET http://evil.example.com/… HTTP/1.1`) with a 308 to that host before any portal code
  // runs. Browsers never send that form to an origin server; a reverse proxy in front of the
  // portal rewrites it. Reported in the issue notes.
  const absoluteForm: NastyCase = {
    name: "an absolute-form request target naming another host (never redirected there)",
    targets: TARGETS,
    spec: (t) => ({
      method: t === "authorize-get" ? "GET" : "POST",
      target: `http://evil.example.com${authorizeQuery("").replace("/oauth/authorize", PATHS[t])}`,
      headers: formHeaders,
      body: "token=x",
    }),
  };
  // The front of `npm start` answers 400 before any routing (lib/front/front.ts).
  test(`${absoluteForm.name}: no redirect to another host`, async () => {
    for (const target of absoluteForm.targets) {
      const { problems } = await send(absoluteForm.spec(target));
      assert.deepEqual(problems, []);
    }
  });

  for (const nastyCase of NASTY) {
    test(`${nastyCase.name}: no 5xx and no stack trace at ${nastyCase.targets.join(", ")}`, async () => {
      const failures: string[] = [];
      for (const target of nastyCase.targets) {
        const spec = nastyCase.spec(target);
        const { problems } = await send(spec);
        if (problems.length > 0) failures.push(`${target}: ${problems.join("; ")}\n    ${describeSpec(spec)}`);
      }
      assert.deepEqual(failures, [], `${nastyCase.name}:\n${failures.join("\n")}`);
    });
  }
});
