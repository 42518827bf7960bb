import { expect, test } from "@playwright/test";

// The Content-Security-Policy from src/proxy.ts: a fresh nonce per request that
// every script Next renders carries, so an injected inline script or handler
// cannot run even if markup slipped past the sanitiser.
const directives = (csp: string) => new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name!, values]));

test("pages carry an enforced nonce CSP and every script carries the nonce", async ({ page }) => {
  const res = await page.goto("/en/sign-in");
  const headers = res!.headers();
  const csp = headers["content-security-policy"];
  expect(csp, "enforced, not report-only").toBeTruthy();
  const d = directives(csp!);
  const scriptSrc = d.get("script-src")!;
  const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce).toBeTruthy();
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(d.get("object-src")).toEqual(["'none'"]);
  expect(d.get("base-uri")).toEqual(["'none'"]);
  expect(d.get("frame-ancestors")).toEqual(["'none'"]);
  expect(d.get("form-action")).toContain("'self'");
  expect(d.get("connect-src")).toEqual(["'self'"]);
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["cross-origin-resource-policy"]).toBe("same-origin");
  expect(headers["strict-transport-security"]).toMatch(/max-age=(\d+); includeSubDomains/);
  expect(Number(/max-age=(\d+)/.exec(headers["strict-transport-security"]!)![1])).toBeGreaterThanOrEqual(31_536_000);
  expect(headers["x-frame-options"]).toBe("DENY"); // the headers next.config.mjs already sent stay

  // Every script the server rendered carries this response's nonce (read from the HTML as sent: the
  // browser hides nonce attributes after parsing). Chunks the bundler's runtime loads later (a lazy
  // import) are inserted by a trusted script and allowed by 'strict-dynamic', so they carry none.
  const tags = (await res!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  expect(tags.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);

  // A second request gets another nonce.
  const again = await page.request.get("/en/sign-in");
  expect(again.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);
});

test("an injected inline handler is blocked by the CSP", async ({ page }) => {
  await page.goto("/en/sign-in");
  const outcome = await page.evaluate(
    () =>
      new Promise<{ violated: string[]; ran: boolean }>((resolve) => {
        const w = window as unknown as { __injected?: boolean };
        const violated: string[] = [];
        document.addEventListener("securitypolicyviolation", (e) => violated.push(e.effectiveDirective));
        // Injected markup, as an XSS would arrive: an inline handler needs 'unsafe-inline'
        // (or 'unsafe-hashes'), which script-src does not have. (A script element created
        // by already-running script is allowed by 'strict-dynamic' by design: that is
        // not markup injection.)
        document.body.insertAdjacentHTML("beforeend", `<img src="/no-such-image.png" onerror="window.__injected = true">`);
        setTimeout(() => resolve({ violated, ran: w.__injected === true }), 500);
      }),
  );
  expect(outcome.ran).toBe(false);
  expect(outcome.violated).toEqual(expect.arrayContaining(["script-src-attr"]));
});
