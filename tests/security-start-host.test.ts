// npm start's exposure rules (scripts/lib/host-policy.mjs): loopback by default,
// and on any other address no dev mailbox (it shows magic links) and no provider
// URLs pointing at this machine's private services.
import { describe, expect, it } from "vitest";
import { exposurePolicy, isLoopbackHost } from "../scripts/lib/host-policy.mjs";

describe("npm start host policy", () => {
  it("binds to 127.0.0.1 unless told otherwise", () => {
    expect(exposurePolicy({ env: {} }).host).toBe("127.0.0.1");
    expect(exposurePolicy({ env: { HOST: "0.0.0.0" } }).host).toBe("0.0.0.0");
    expect(exposurePolicy({ env: { HOST: "0.0.0.0" }, hostOption: "::1" }).host).toBe("::1");
  });

  it("on loopback keeps the dev mailbox and private provider URLs of the embedded default", () => {
    const p = exposurePolicy({ env: {}, embedded: true });
    expect(p.env.DEV_MAILBOX).toBe("1");
    expect(p.env.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS).toBe("true");
    expect(p.notes).toEqual([]);
  });

  it("on another address refuses the dev mailbox, even when asked for, and says why", () => {
    const p = exposurePolicy({ env: { HOST: "0.0.0.0", DEV_MAILBOX: "1" }, embedded: true });
    expect(p.env.DEV_MAILBOX).toBe("0");
    expect(p.notes.join("\n")).toMatch(/dev mailbox.*off/i);
  });

  it("on another address leaves private provider URLs off and says so", () => {
    const p = exposurePolicy({ env: { HOST: "192.0.2.2" }, embedded: true });
    expect(p.env.OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS).toBe("false");
    expect(p.notes.join("\n")).toMatch(/OCSUITE_ALLOW_PRIVATE_PROVIDER_URLS/);
  });

  it("with SMTP configured does not turn the dev mailbox on", () => {
    expect(exposurePolicy({ env: { SMTP_URL: "smtp://mail" } }).env.DEV_MAILBOX).toBeUndefined();
  });

  it("knows the loopback names", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.0.2.2", "example.com"]) expect(isLoopbackHost(h)).toBe(false);
  });
});
