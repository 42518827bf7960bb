import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from "../../prisma/demo-data.mjs";

export { DEMO_PASSWORD, DEMO_TENANT };
export const demo = (role: "OWNER" | "ADMIN" | "MEMBER" | "VIEWER" | "PLATFORM_ADMIN") =>
  DEMO_USERS.find((u) => (role === "PLATFORM_ADMIN" ? u.isPlatformAdmin : u.role === role))!.email;

let counter = 0;
/** A fresh address per call, so tests never depend on each other's accounts. */
export const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}@example.com`;

/** Signs in through the real form, as a person would. */
export const signInWithForm = async (page: Page, email: string, password = DEMO_PASSWORD, locale = "en") => {
  await page.goto(`/${locale}/sign-in`);
  await page.getByLabel(locale === "en" ? "Email" : "Correo electrónico", { exact: true }).first().fill(email);
  await page.getByLabel(locale === "en" ? "Password" : "Contraseña", { exact: true }).fill(password);
  await page.getByRole("button", { name: locale === "en" ? "Sign in" : "Iniciar sesión", exact: true }).click();
};

/** Signs in over HTTP (the same endpoints the form uses); cookies land in the request's context. */
export const signInWithApi = async (request: APIRequestContext, email: string, password = DEMO_PASSWORD, headers: Record<string, string> = {}) => {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/en/workspaces" },
    headers: { "X-Auth-Return-Redirect": "1", ...headers },
    maxRedirects: 0,
  });
};

/** Calls a tRPC procedure over HTTP (no batching, superjson envelope). */
export const trpc = {
  query: (request: APIRequestContext, path: string, input?: unknown) =>
    request.get(`/api/trpc/${path}`, { params: input === undefined ? {} : { input: JSON.stringify({ json: input }) } }),
  mutation: (request: APIRequestContext, path: string, input?: unknown) =>
    request.post(`/api/trpc/${path}`, { data: input === undefined ? {} : { json: input } }),
};

/** axe on the current page: no serious or critical WCAG 2.x A/AA violation. */
export const expectAccessible = async (page: Page) => {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), `axe on ${page.url()}`).toEqual([]);
};

/**
 * A forwarded client address per spec file (TEST-NET range, never contacted:
 * it is only a header). Sign-in limits are per IP; this keeps each file's
 * sign-ins in its own bucket, as real users would be.
 */
export const perFileClientIp = () => ({
  extraHTTPHeaders: { "x-forwarded-for": `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}` },
});
