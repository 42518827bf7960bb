/**
 * Syncing apps: in-band (we PUT the serve endpoint with
 * `x-inngest-sync-kind: in_band` and the SDK answers with its function
 * configs) and out-of-band (the SDK POSTs /fn/register, see http.ts). Configs
 * are persisted in InngestApp, so a restarted executor resumes runs before
 * the app answers again (loadApps).
 */
import { sdkHeaders } from "./call-request";
import { canonicalJson } from "./signature";
import { json } from "./values";
import type { ExecutorContext } from "./context";
import type { FunctionConfig } from "./types";

/** Replaces the app's functions, in Postgres and in `ctx.functions`. */
export const registerApp = async (ctx: ExecutorContext, appId: string, url: string, fns: FunctionConfig[]) => {
  await ctx.db.inngestApp.upsert({
    where: { id: appId },
    create: { id: appId, url, functions: json(fns) },
    update: { url, functions: json(fns) },
  });
  for (const [id, f] of ctx.functions) if (f.appId === appId) ctx.functions.delete(id);
  for (const config of fns) ctx.functions.set(config.id, { appId, url: stepUrl(config, url), config });
  ctx.log.info("synced app", { appId, functions: fns.length });
};

/** Loads the function configs persisted by earlier syncs (a restarted executor resumes without the app). */
export const loadApps = async (ctx: ExecutorContext) => {
  for (const app of await ctx.db.inngestApp.findMany()) {
    for (const config of app.functions as unknown as FunctionConfig[]) {
      ctx.functions.set(config.id, { appId: app.id, url: stepUrl(config, app.url), config });
    }
  }
};

/** In-band sync of one serve endpoint; returns the SDK's answer. */
export const sync = async (ctx: ExecutorContext, url: string) => {
  const body = canonicalJson({ url });
  const headers = sdkHeaders(body, ctx.signingKey, { "x-inngest-sync-kind": "in_band" });
  const res = await fetch(url, { method: "PUT", headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`sync of ${url} failed: ${res.status} ${text}`);
  const reg = JSON.parse(text) as { app_id: string; functions: FunctionConfig[]; url?: string };
  await registerApp(ctx, reg.app_id, reg.url ?? url, reg.functions ?? []);
  return reg;
};

/** A function's own step URL (its runtime) wins over the app's URL. */
const stepUrl = (config: FunctionConfig, appUrl: string) => config.steps?.step?.runtime?.url ?? appUrl;
