/**
 * Syncing apps: in-band (we PUT the serve endpoint with
 * `x-inngest-sync-kind: in_band` and the SDK answers with its function
 * configs) and out-of-band (the SDK POSTs /fn/register, see http.ts). Configs
 * are persisted in InngestApp, so a restarted executor resumes runs before
 * the app answers again (loadApps). A cron trigger that cannot be parsed is
 * logged here, once per sync or load, and then ignored (cron.ts skips it).
 */
import { sdkHeaders } from "./call-request";
import { invalidCrons } from "./cron-schedule";
import { canonicalJson } from "./signature";
import { json } from "./values";
import type { ExecutorContext } from "./context";
import type { FunctionConfig, RegisteredFunction } from "./types";

/** Replaces the app's functions, in Postgres and in `ctx.functions`. */
export const registerApp = async (ctx: ExecutorContext, appId: string, url: string, fns: FunctionConfig[]) => {
  await ctx.db.inngestApp.upsert({
    where: { id: appId },
    create: { id: appId, url, functions: json(fns) },
    update: { url, functions: json(fns) },
  });
  for (const [id, f] of ctx.functions) if (f.appId === appId) ctx.functions.delete(id);
  for (const config of fns) addFunction(ctx, registeredFunction(appId, url, config));
  ctx.log.info("synced app", { appId, functions: fns.length });
};

/** Loads the function configs persisted by earlier syncs (a restarted executor resumes without the app). */
export const loadApps = async (ctx: ExecutorContext) => {
  for (const app of await ctx.db.inngestApp.findMany()) {
    for (const config of app.functions as unknown as FunctionConfig[]) addFunction(ctx, registeredFunction(app.id, app.url, config));
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

/** A synced function as the executor calls it: its own step URL (its runtime) wins over the app's URL. */
export const registeredFunction = (appId: string, appUrl: string, config: FunctionConfig): RegisteredFunction => ({
  appId,
  url: config.steps?.step?.runtime?.url ?? appUrl,
  config,
});

const addFunction = (ctx: ExecutorContext, fn: RegisteredFunction) => {
  for (const { cron, error } of invalidCrons(fn.config)) {
    ctx.log.warn("invalid cron trigger ignored", { appId: fn.appId, functionId: fn.config.id, cron, err: error });
  }
  ctx.functions.set(fn.config.id, fn);
};
