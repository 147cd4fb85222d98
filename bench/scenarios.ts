// The scenarios, in an order that lets each feed the next: the authorization_code runs harvest the
// refresh and access tokens that refresh, introspection, userinfo and revocation consume.
import { runFlows, runLoad, type LoadSpec, type RunFigures } from "./measure.ts";
import { basicAuth, Pool, REDIRECT_URI, VERIFIER, type FlowKind, type Target } from "./target.ts";

export const SCENARIOS = [
  "discovery",
  "jwks",
  "token-code",
  "token-refresh",
  "introspection",
  "userinfo",
  "revocation",
  "flow",
  "flow-bcrypt",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Settings {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: readonly number[];
  readonly scenarios: readonly ScenarioName[];
}

export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly connections: number;
  readonly figures: RunFigures;
}

const FORM = "application/x-www-form-urlencoded";
/** Access tokens cycled by introspection and userinfo (not consumed). */
const ACCESS_TOKEN_COUNT = 100;
/** A consuming pool never grows past this: a faster target runs pool-limited (flagged) instead of
 *  spending half a minute preparing tokens. */
const MAX_POOL = 15_000;
/** Codes per second of warm-up, before the target's own rate is known. */
const WARMUP_CODES_PER_SECOND = 800;

const json = (body: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
};
const expectStatus = (status: number, expected: number) => (status === expected ? null : `expected ${expected}`);

export async function runScenarios(target: Target, settings: Settings, log: (line: string) => void): Promise<ScenarioResult[]> {
  const codes = new Pool();
  const refreshTokens = new Pool();
  const harvestedAccessTokens: string[] = [];
  const results: ScenarioResult[] = [];
  const auth = basicAuth(target.client);
  const formHeaders = { authorization: auth, "content-type": FORM };

  const tokenGrant =
    (harvest: boolean): LoadSpec["check"] =>
    (status, body) => {
      const parsed = json(body);
      if (status !== 200 || typeof parsed?.access_token !== "string" || typeof parsed.refresh_token !== "string") {
        return `not a token response: ${body.slice(0, 160)}`;
      }
      refreshTokens.push(parsed.refresh_token);
      if (harvest && harvestedAccessTokens.length < ACCESS_TOKEN_COUNT) harvestedAccessTokens.push(parsed.access_token);
      return null;
    };

  /**
   * Enough refresh tokens for `count` consuming requests: real token responses to fresh codes.
   * A connection the server closed while idle can fail the next request sent on it (ECONNRESET,
   * seen with `next start`'s 5-second keep-alive): such a code is dropped and another one minted,
   * a few rounds at most; a wrong answer still fails at once.
   */
  const ensureRefreshTokens = async (count: number) => {
    for (let round = 0; round < 3; round += 1) {
      const missing = count - refreshTokens.size;
      if (missing <= 0) return;
      const fresh = await target.mintCodes(missing);
      let lost: unknown;
      const redeem = async () => {
        for (let code = fresh.pop(); code !== undefined; code = fresh.pop()) {
          let response: Response;
          try {
            response = await fetch(`${target.url}${target.paths.token}`, { method: "POST", headers: formHeaders, body: codeBody(code) });
          } catch (error) {
            lost = error;
            continue;
          }
          const problem = tokenGrant(false)(response.status, await response.text());
          if (problem) throw new Error(`preparing refresh tokens: ${problem}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, redeem));
      if (lost === undefined) return;
    }
    if (refreshTokens.size < count) throw new Error(`preparing refresh tokens: only ${refreshTokens.size} of ${count} after retries`);
  };

  const accessTokens = async (): Promise<string[]> => {
    if (target.mintAccessTokens) return target.mintAccessTokens(ACCESS_TOKEN_COUNT);
    if (harvestedAccessTokens.length === 0) {
      await ensureRefreshTokens(1);
      const response = await fetch(`${target.url}${target.paths.token}`, {
        method: "POST",
        headers: formHeaders,
        body: codeBody((await target.mintCodes(1))[0] ?? ""),
      });
      const parsed = json(await response.text());
      if (typeof parsed?.access_token === "string") harvestedAccessTokens.push(parsed.access_token);
    }
    return harvestedAccessTokens;
  };
  const cycle = (values: readonly string[]) => {
    let next = 0;
    return () => values[next++ % values.length] ?? "";
  };

  /** Warm-up, then the measured run; consuming scenarios size their pool from the warm-up rate. */
  const measure = async (scenario: ScenarioName, connections: number, build: () => LoadSpec, ensure: (count: number) => Promise<void>) => {
    await ensure(Math.ceil(WARMUP_CODES_PER_SECOND * settings.warmupSeconds) + 4 * connections);
    const warm = settings.warmupSeconds > 0 ? await runLoad(target, { ...build(), seconds: settings.warmupSeconds }) : undefined;
    await ensure(Math.min(MAX_POOL, Math.ceil((warm?.perSecond ?? WARMUP_CODES_PER_SECOND) * settings.seconds * 1.5) + 4 * connections));
    const figures = await runLoad(target, build());
    results.push({ scenario, connections, figures });
    log(
      `${target.name} ${scenario} c${connections}: ${figures.perSecond.toFixed(0)}/s, p99 ${figures.p99Ms} ms, errors ${figures.errors}${figures.errorSamples.length ? ` (${figures.errorSamples.join(" | ")})` : ""}`,
    );
  };
  const noPool = async () => undefined;

  for (const scenario of settings.scenarios) {
    for (const connections of settings.connections) {
      const base = { connections, seconds: settings.seconds };
      switch (scenario) {
        case "discovery":
        case "jwks": {
          const path = scenario === "discovery" ? target.paths.discovery : target.paths.jwks;
          const key = scenario === "discovery" ? '"issuer"' : '"keys"';
          await measure(
            scenario,
            connections,
            () => ({
              ...base,
              method: "GET",
              path,
              headers: {},
              check: (status, body) => expectStatus(status, 200) ?? (body.includes(key) ? null : "wrong body"),
            }),
            noPool,
          );
          break;
        }
        case "token-code": {
          const ensure = async (count: number) => {
            if (codes.size < count) codes.push(...(await target.mintCodes(count - codes.size)));
          };
          await measure(
            scenario,
            connections,
            () => ({
              ...base,
              method: "POST",
              path: target.paths.token,
              headers: formHeaders,
              body: () => codeBody(codes.take() ?? "pool-exhausted"),
              maxRequests: Math.max(connections, codes.size - 2 * connections),
              check: tokenGrant(true),
            }),
            ensure,
          );
          break;
        }
        case "token-refresh":
          // Rotation hands a new refresh token back to the pool: it never runs dry.
          await measure(
            scenario,
            connections,
            () => ({
              ...base,
              method: "POST",
              path: target.paths.token,
              headers: formHeaders,
              body: () =>
                new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshTokens.take() ?? "pool-exhausted" }).toString(),
              check: tokenGrant(false),
            }),
            () => ensureRefreshTokens(4 * connections),
          );
          break;
        case "introspection": {
          const next = cycle(await accessTokens());
          await measure(
            scenario,
            connections,
            () => ({
              ...base,
              method: "POST",
              path: target.paths.introspect,
              headers: formHeaders,
              body: () => new URLSearchParams({ token: next(), token_type_hint: "access_token" }).toString(),
              check: (status, body) =>
                expectStatus(status, 200) ?? (json(body)?.active === true ? null : `inactive: ${body.slice(0, 120)}`),
            }),
            noPool,
          );
          break;
        }
        case "userinfo": {
          const next = cycle(await accessTokens());
          await measure(
            scenario,
            connections,
            () => ({
              ...base,
              method: "GET",
              path: target.paths.userinfo,
              headers: {},
              bearer: next,
              check: (status, body) => expectStatus(status, 200) ?? (typeof json(body)?.sub === "string" ? null : "no sub"),
            }),
            noPool,
          );
          break;
        }
        case "revocation":
          await measure(
            scenario,
            connections,
            () => ({
              ...base,
              method: "POST",
              path: target.paths.revoke,
              headers: formHeaders,
              body: () =>
                new URLSearchParams({ token: refreshTokens.take() ?? "pool-exhausted", token_type_hint: "refresh_token" }).toString(),
              maxRequests: Math.max(connections, refreshTokens.size - 2 * connections),
              check: (status) => expectStatus(status, 200),
            }),
            ensureRefreshTokens,
          );
          break;
        case "flow":
        case "flow-bcrypt":
          await runFlowScenario(target, scenario, scenario === "flow" ? "no-bcrypt" : "bcrypt", connections, settings, results, log);
          break;
      }
    }
  }
  return results;
}

function codeBody(code: string): string {
  return new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER }).toString();
}

async function runFlowScenario(
  target: Target,
  scenario: ScenarioName,
  kind: FlowKind,
  concurrency: number,
  settings: Settings,
  results: ScenarioResult[],
  log: (line: string) => void,
): Promise<void> {
  const flow = target.flow(kind);
  if (!flow) return;
  if (settings.warmupSeconds > 0) await runFlows(target, flow, concurrency, settings.warmupSeconds);
  const figures = await runFlows(target, flow, concurrency, settings.seconds);
  results.push({ scenario, connections: concurrency, figures });
  log(
    `${target.name} ${scenario} c${concurrency}: ${figures.perSecond.toFixed(1)} flows/s, errors ${figures.errors}${figures.errorSamples.length ? ` (${figures.errorSamples.join(" | ")})` : ""}`,
  );
}
