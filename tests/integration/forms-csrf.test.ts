// The sign-in form works without JavaScript (progressive enhancement), and a form posted from
// another site is refused: Next.js checks a server action's Origin against the host, and the
// session cookie is SameSite=Lax, so a cross-site POST can neither sign anyone in nor act for them.
// A POST that carries neither Origin nor Sec-Fetch-Site: same-origin is refused too (proxy.ts).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CookieJar, submitForm, visit } from "../support/browserless.ts";
import { testDatabaseKind } from "../support/db.ts";
import { startWorld, type PortalWorld } from "../support/oauth-http.ts";

describe(`forms on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let email: string;

  before(async () => {
    world = await startWorld();
    email = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
  });
  after(() => world.close());

  async function postLogin(origin: Parameters<typeof submitForm>[4]): Promise<{ response: Response; jar: CookieJar }> {
    const jar = new CookieJar();
    const pageUrl = `${world.issuer}/login?return_to=%2Faccount`;
    const page = await visit(jar, pageUrl);
    assert.equal(page.status, 200);
    const html = await page.text();
    const response = await submitForm(
      jar,
      pageUrl,
      html,
      [
        ["email", email],
        ["password", "correct horse battery staple"],
      ],
      origin,
      "login",
    );
    return { response, jar };
  }

  test("signs in without JavaScript and lands on the account page", async () => {
    const { response, jar } = await postLogin(world.issuer);
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get("location")!, world.issuer).pathname, "/account");
    assert.match(jar.header(), /portal_session=/);
  });

  test("refuses a sign-in form posted from another site, without a 5xx", async () => {
    const { response, jar } = await postLogin("https://evil.example.com");
    assert.notEqual(response.status, 303);
    assert.ok(response.status < 500, `status ${response.status}`);
    assert.doesNotMatch(jar.header(), /portal_session=/);
  });

  test("refuses a form posted without Origin unless Sec-Fetch-Site says same-origin: 403, nobody signed in", async () => {
    const sessionsBefore = await world.db.session.count();
    const variants: Record<string, string>[] = [
      {},
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "none" },
    ];
    for (const headers of variants) {
      const { response, jar } = await postLogin({ headers });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.match(await response.text(), /sent from another site/);
      assert.doesNotMatch(jar.header(), /portal_session=/);
    }
    assert.equal(await world.db.session.count(), sessionsBefore);
  });

  test("a form a browser posts natively from our page (Origin: null, for Referrer-Policy: no-referrer) signs in; from elsewhere it is refused", async () => {
    const { response, jar } = await postLogin({ headers: { origin: "null", "sec-fetch-site": "same-origin" } });
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get("location")!, world.issuer).pathname, "/account");
    assert.match(jar.header(), /portal_session=/);
    for (const site of ["cross-site", "same-site", undefined]) {
      const refused = await postLogin({ headers: { origin: "null", ...(site ? { "sec-fetch-site": site } : {}) } });
      assert.equal(refused.response.status, 403, String(site));
      assert.doesNotMatch(refused.jar.header(), /portal_session=/);
    }
  });

  test("accepts a form posted without Origin but with Sec-Fetch-Site: same-origin", async () => {
    const { response, jar } = await postLogin({ headers: { "sec-fetch-site": "same-origin" } });
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get("location")!, world.issuer).pathname, "/account");
    assert.match(jar.header(), /portal_session=/);
  });
});
