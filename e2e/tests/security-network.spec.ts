import os from "node:os";
import { expect, test } from "@playwright/test";
import { APP_PORT, E2E_SIGNIN_IP_LIMIT } from "../support/env.mjs";
import { signInWithApi, uniqueEmail } from "../support/fixtures";

// npm start serves on loopback by default (scripts/lib/host-policy.mjs): the dev
// mailbox and private provider URLs of the embedded default assume nobody else
// can reach the port.
test("npm start is not reachable on this machine's other addresses", async () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
  expect(external, "this machine needs a non-loopback address for the test").toBeDefined();
  const reached = await fetch(`http://${external}:${APP_PORT}/api/health`, { signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );
  expect(reached).toBe(false);
});

// The e2e server trusts one proxy hop (TRUSTED_PROXY_HOPS=1, e2e/support/serve.mjs):
// only the rightmost X-Forwarded-For entry is the client; anything to its left is
// the client's own claim and must not open a fresh per-IP window.
test("the per-IP sign-in limit is not reset by adding X-Forwarded-For entries", async ({ request }) => {
  test.setTimeout(120_000);
  const ip = `198.19.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;
  for (let i = 0; i < E2E_SIGNIN_IP_LIMIT; i++) {
    const res = await signInWithApi(request, uniqueEmail("xff"), "wrong-password-123", { "x-forwarded-for": `203.0.113.${i + 1}, ${ip}` });
    expect(res.status()).not.toBe(429);
  }
  const res = await signInWithApi(request, uniqueEmail("xff"), "wrong-password-123", { "x-forwarded-for": `203.0.113.250, ${ip}` });
  expect(res.status()).toBe(429);
});

test("a client-sent peer header does not open the dev mailbox to it, nor close it to this machine", async ({ request }) => {
  const res = await request.get("/en/dev/mailbox", { headers: { "x-ocsuite-peer": "203.0.113.7", "x-forwarded-for": "203.0.113.7" } });
  expect(res.status()).toBe(200);
});
