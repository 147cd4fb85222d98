// The browserless client's answer to an overloaded server (the benchmark's flows rely on it): a
// 503 with Retry-After is sent again only when the caller says so, with the cookies it holds then.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { CookieJar, visit } from "../support/browserless.ts";

let server: Server;
let url: string;
const seen: Array<{ method: string | undefined; cookie: string | undefined; body: string }> = [];
let refusals = 0;

before(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      seen.push({ method: request.method, cookie: request.headers.cookie, body });
      if (refusals > 0) {
        refusals -= 1;
        response.writeHead(503, { "Retry-After": "0", "Set-Cookie": "queued=1" });
        response.end("busy");
        return;
      }
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end("served");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/step`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("without onRefused, a 503 with Retry-After is the answer", async () => {
  seen.length = 0;
  refusals = 1;
  const response = await visit(new CookieJar(), url);
  assert.equal(response.status, 503);
  assert.equal(seen.length, 1);
});

test("with onRefused, the same request is sent again, with the cookies the refusal set", async () => {
  seen.length = 0;
  refusals = 2;
  const waits: number[] = [];
  const jar = new CookieJar({ onRefused: (seconds) => (waits.push(seconds), true) });
  const response = await visit(jar, url, { method: "POST", body: new URLSearchParams({ a: "1" }) });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "served");
  assert.deepEqual(waits, [0, 0]);
  assert.deepEqual(
    seen.map((request) => [request.method, request.body]),
    [
      ["POST", "a=1"],
      ["POST", "a=1"],
      ["POST", "a=1"],
    ],
  );
  assert.equal(seen[0]?.cookie, undefined);
  assert.equal(seen[2]?.cookie, "queued=1");
});

test("onRefused returning false keeps the 503", async () => {
  seen.length = 0;
  refusals = 1;
  const response = await visit(new CookieJar({ onRefused: () => false }), url);
  assert.equal(response.status, 503);
  assert.equal(seen.length, 1);
});
