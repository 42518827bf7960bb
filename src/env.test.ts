import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Loads src/env.js in a clean Node process, as the server does at start.
const load = (env: Record<string, string>) => {
  try {
    const out = execFileSync(process.execPath, ["-e", `import(${JSON.stringify(path.resolve("src/env.js"))}).then(() => console.log("ok"))`], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { ok: true, output: out };
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
};

const valid = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", AUTH_SECRET: "x".repeat(40) };

describe("environment validation", () => {
  it("accepts a valid configuration", () => {
    expect(load(valid)).toMatchObject({ ok: true });
  });

  it.each([
    ["DATABASE_URL", { ...valid, DATABASE_URL: "mysql://nope" }],
    ["AUTH_SECRET", { DATABASE_URL: valid.DATABASE_URL }],
    ["AUTH_SECRET", { ...valid, AUTH_SECRET: "short" }],
    ["REDIS_URL", { ...valid, REDIS_URL: "http://not-redis" }],
    ["RATE_LIMIT_SIGNIN_IP", { ...valid, RATE_LIMIT_SIGNIN_IP: "-3" }],
    ["AUTH_OIDC_ISSUER", { ...valid, AUTH_OIDC_ISSUER: "not a url" }],
    ["STORAGE_REGIONS", { ...valid, STORAGE_REGIONS: "not json" }],
    ["STORAGE_REGIONS", { ...valid, STORAGE_REGIONS: JSON.stringify({ mars: { driver: "fs" } }) }],
    ["STORAGE_REGIONS", { ...valid, STORAGE_REGIONS: JSON.stringify({ eu: { driver: "s3", bucket: "Not_A_Bucket" } }) }],
    ["STORAGE_REGIONS", { ...valid, STORAGE_REGIONS: JSON.stringify({ eu: { driver: "s3", bucket: "ocsuite-eu", accessKeyId: "only-one" } }) }],
  ])("a bad %s stops start-up with a message naming it", (name, env) => {
    const res = load(env as Record<string, string>);
    expect(res.ok).toBe(false);
    // A nested field of a JSON variable is named with its path (STORAGE_REGIONS.eu.bucket).
    expect(res.output).toMatch(new RegExp(`- ${name}(\\.[\\w.]+)?:`));
  });

  it("accepts a storage for each residency region of the product (src/lib/regions.ts)", async () => {
    const regions = { us: { driver: "s3", bucket: "ocsuite-us", region: "us-east-1" }, eu: { driver: "fs" } };
    expect(load({ ...valid, STORAGE_REGIONS: JSON.stringify(regions) })).toMatchObject({ ok: true });
    const { RESIDENCY_REGIONS } = await import("~/lib/regions");
    for (const r of RESIDENCY_REGIONS) expect(load({ ...valid, STORAGE_REGIONS: JSON.stringify({ [r]: { driver: "fs" } }) }), r).toMatchObject({ ok: true });
  });
});
