/**
 * Access logging, proven from the router: every procedure of appRouter and
 * every route handler under src/app/api is classified in
 * src/server/api/access-log-policy.ts, and every `admin` / `sensitive-read`
 * one is called here as a caller allowed to, through the real router (or the
 * real route module with a real session cookie), against a real database. The
 * call must append each audit event its policy names, on the right chain, by
 * the caller, as SUCCESS, and none of those events may carry a secret or
 * tenant content that the call handled.
 *
 * A new procedure or route fails "classifies every procedure" until it is
 * classified; a new admin / sensitive-read one fails "has a call for every
 * admin and sensitive-read entry" until it has a case below.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createTenantWithMembers, createUser, tenantCtxOf, uid, type FactoryUser } from "../prisma/factories";
import { env } from "~/env";
import { ACCESS_LOG_POLICY, ACCESS_LOG_ROUTES, type TAccessLogRule, type TExpectedAuditEvent } from "~/server/api/access-log-policy";
import { appRouter } from "~/server/api/root";
import { db } from "~/server/db/client";
import { documentOriginalKey, objectStorage } from "~/server/infra/storage";
import { PLATFORM_CHAIN } from "~/server/services/audit/audit";
import { requestDataKeyRotation } from "~/server/services/key-rotation/data-key-rotation";
import { signExportLink } from "~/server/services/privacy/export/signed-link";
import { retireReplacedVersion } from "~/server/services/key-rotation/rotation-verify";
import { createCredential } from "~/server/services/providers/credentials";
import { createInvitation } from "~/server/services/tenancy/invitations";
import { startModelsServer, type ModelsServer } from "./support/models-server";
import { sessionCookieFor } from "./support/session-cookie";
import { callerFor } from "./support/trpc";
import { startAppEngine, type AppEngine } from "./support/app-engine";

// Values a call handles that must never reach an audit event.
const PROVIDER_KEY = `sk-access-log-${uid(12)}`;
const NEW_PROVIDER_KEY = `sk-access-log-new-${uid(12)}`;
const SIGN_UP_PASSWORD = `pw-access-log-${uid(8)}`;
const CONTENT = `access-log-content-${uid(8)}`;
const SECRETS = [PROVIDER_KEY, NEW_PROVIDER_KEY, SIGN_UP_PASSWORD, CONTENT];

let modelsServer: ModelsServer | undefined;
let engine: AppEngine | undefined;
beforeAll(async () => {
  // provider.test calls the credential's provider for real (a local GET /models).
  modelsServer = await startModelsServer({ validKey: PROVIDER_KEY });
  // admin.replayDeadLetter / runDiagnostic send events: a local executor running the app's functions receives them.
  engine = await startAppEngine();
});
afterAll(async () => {
  await engine?.close();
  await modelsServer?.close();
});

/** Fresh per test: a tenant with one user per role, the objects the admin actions act on, and a platform admin. */
const makeFixture = async () => {
  const t = await createTenantWithMembers();
  const other = await createTenantWithMembers();
  const platformAdmin = await createUser({ isPlatformAdmin: true });
  const outsider = await createUser();
  const target = await createUser();
  const targetMembership = await addMember(t.tenant.id, target.id, "MEMBER");
  const ownerCtx = tenantCtxOf(t.tenant, t.owner, "OWNER");
  const invitation = await createInvitation(ownerCtx, { role: "MEMBER", appUrl: "http://localhost:3000" });
  const credential = await createCredential(ownerCtx, { provider: "openai-compatible", label: "Access log", apiKey: PROVIDER_KEY, baseUrl: modelsServer!.baseUrl });
  const deadLetter = await db.inngestDeadLetter.create({
    data: {
      functionId: "ocsuite-system-heartbeat",
      runId: `access-log-run-${uid()}`,
      eventId: `access-log-evt-${uid()}`,
      eventName: "system/ping.requested",
      event: { name: "system/ping.requested", data: { pingId: `access-log-${uid()}`, tenantId: t.tenant.id }, ts: Date.now() },
      tenantId: t.tenant.id,
      errorName: "Error",
      errorMessage: "boom",
      error: { name: "Error", message: "boom" },
      attempts: 3,
    },
  });
  const diagnostic = await db.jobHeartbeat.create({ data: { pingId: `diag-access-log-${uid()}`, failUntilFixed: true } });
  const conversation = await db.conversation.create({
    data: { tenantId: t.tenant.id, userId: t.member.id, personaKey: "cfo", title: "Access log chat", messages: { create: { tenantId: t.tenant.id, role: "user", content: CONTENT } } },
  });
  // A document with its stored original (the download route reads the bytes).
  const documentId = `access-log-doc-${uid()}`;
  const storageKey = documentOriginalKey(t.tenant.id, documentId);
  await objectStorage().put(storageKey, new TextEncoder().encode(`# ${CONTENT}\n`), { contentType: "text/markdown" });
  const document = await db.document.create({
    data: {
      id: documentId,
      tenantId: t.tenant.id,
      uploadedById: t.member.id,
      title: "Access log document",
      filename: "access-log.md",
      kind: "markdown",
      mimeType: "text/markdown",
      sizeBytes: 40,
      sha256: uid(32),
      storageKey,
      indexVersion: 1,
    },
  });
  // A ready workspace export of the admin's, its archive in storage (the download route serves it).
  const exportKey = `exports/${t.tenant.id}/access-log-${uid()}.zip`;
  await objectStorage().put(exportKey, new TextEncoder().encode("PK access log archive"), { contentType: "application/zip" });
  const dataExport = await db.dataExport.create({
    data: { tenantId: t.tenant.id, requestedById: t.admin.id, scope: "workspace", status: "ready", storageKey: exportKey, sizeBytes: 21, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const supportSession = await db.supportSession.create({
    data: { tenantId: t.tenant.id, adminId: platformAdmin.id, reason: "Access log support session", expiresAt: new Date(Date.now() + 3_600_000) },
  });
  return {
    ...t,
    other,
    platformAdmin,
    outsider,
    targetMembershipId: targetMembership.id,
    invitationId: invitation.id,
    token: invitation.link.split("/invite/")[1]!,
    credentialId: credential.id,
    deadLetterId: deadLetter.id,
    diagnosticPingId: diagnostic.pingId,
    conversationId: conversation.id,
    documentId: document.id,
    supportSessionId: supportSession.id,
    dataExportId: dataExport.id,
  };
};
type Fixture = Awaited<ReturnType<typeof makeFixture>>;

type Case = {
  /** An allowed caller (null: anonymous). */
  as: (fx: Fixture) => FactoryUser | null;
  /** Valid input; `prepared` is what `before` returned. */
  input: (fx: Fixture, prepared: never) => unknown;
  /** State the call needs so that it changes something (and so records its change). */
  before?: (fx: Fixture) => Promise<unknown>;
  /** Whose chain the policy's `tenant` events are on: the fixture's tenant unless said. */
  tenantId?: (fx: Fixture, result: unknown) => string;
  /** Who the events name as actor: the caller unless said (sign-up: the new account). */
  actorId?: (fx: Fixture, result: unknown) => string;
};

const slugOf = (fx: Fixture) => ({ tenantSlug: fx.tenant.slug });
const idOf = (result: unknown) => (result as { id: string }).id;
const asOwner = (fx: Fixture) => fx.owner;
const asAdmin = (fx: Fixture) => fx.admin;
const asPlatformAdmin = (fx: Fixture) => fx.platformAdmin;

/** A procedure of the caller by its path ("admin.ops.slos"): paths may nest. */
const procedureOf = (api: ReturnType<typeof callerFor>, procedure: string) =>
  procedure.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api) as (input: unknown) => Promise<unknown>;

/** An open access review of the fixture tenant, and its lines (opened by the owner through the router). */
const openReview = async (fx: Fixture) => {
  const { id } = (await procedureOf(callerFor(fx.owner), "accessReview.open")(slugOf(fx))) as { id: string };
  return { reviewId: id, itemIds: (await db.accessReviewItem.findMany({ where: { reviewId: id }, select: { id: true } })).map((i) => i.id) };
};

/** The fixture tenant's data key rotated v1 → v2 by the real job, waiting for its retire window. */
const rotatedKey = async (fx: Fixture) => {
  const { id } = await requestDataKeyRotation(fx.tenant.id, { userId: fx.owner.id }, "manual");
  const deadline = Date.now() + 150_000;
  for (;;) {
    const row = await db.keyRotation.findUniqueOrThrow({ where: { id } });
    if (row.status === "waiting-retire") return row;
    if (row.status === "failed" || Date.now() > deadline) throw new Error(`rotation ${id} is ${row.status} (${row.error ?? "no error"})`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** One allowed call for every admin / sensitive-read procedure. */
const CASES: Record<string, Case> = {
  "account.signUp": {
    as: () => null,
    input: () => ({ email: `access-log-${uid()}@example.test`, name: "Access Log", password: SIGN_UP_PASSWORD, locale: "en", acceptLegal: true }),
    actorId: (_fx, r) => idOf(r),
  },
  "account.signOutEverywhere": { as: (fx) => fx.member, input: () => undefined },
  "account.deleteAccount": { as: (fx) => fx.member, input: (fx) => ({ confirmation: fx.member.email }) },
  "tenant.create": { as: (fx) => fx.member, input: () => ({ name: "Access Log Workspace", slug: `al-${uid()}` }), tenantId: (_fx, r) => idOf(r) },
  "tenant.rename": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), name: "Renamed by access log" }) },
  "tenant.updateProfile": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), industry: "Logistics", description: "Access log profile." }) },
  "member.changeRole": { as: asOwner, input: (fx) => ({ ...slugOf(fx), membershipId: fx.targetMembershipId, role: "VIEWER" }) },
  "member.remove": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), membershipId: fx.targetMembershipId }) },
  "member.leave": { as: (fx) => fx.member, input: slugOf },
  "invitation.create": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), role: "MEMBER" }) },
  "invitation.revoke": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), invitationId: fx.invitationId }) },
  "invitation.accept": { as: (fx) => fx.outsider, input: (fx) => ({ token: fx.token }) },
  "provider.create": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), provider: "openai", label: "Access log OpenAI", apiKey: NEW_PROVIDER_KEY }) },
  "provider.delete": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), id: fx.credentialId }) },
  "provider.test": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), id: fx.credentialId }) },
  "persona.update": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), key: "cfo", name: "Access Log CFO", model: "access-log-model", enabled: false }) },
  "persona.reset": {
    as: asAdmin,
    before: (fx) => callerFor(fx.admin).persona.update({ ...slugOf(fx), key: "cfo", name: "Customised CFO", model: "access-log-model" }),
    input: (fx) => ({ ...slugOf(fx), key: "cfo" }),
  },
  "knowledge.delete": { as: (fx) => fx.member, input: (fx) => ({ ...slugOf(fx), id: fx.documentId }) },
  "admin.tenants": { as: asPlatformAdmin, input: () => ({}) },
  "admin.users": { as: asPlatformAdmin, input: () => ({ query: "example" }) },
  "admin.tenant": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id }) },
  "admin.suspendTenant": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id, reason: "Access log suspension" }) },
  "admin.reactivateTenant": {
    as: asPlatformAdmin,
    before: (fx) => db.tenant.update({ where: { id: fx.tenant.id }, data: { status: "SUSPENDED" } }),
    input: (fx) => ({ tenantId: fx.tenant.id }),
  },
  "admin.user": { as: asPlatformAdmin, input: (fx) => ({ userId: fx.member.id }) },
  "admin.disableUser": { as: asPlatformAdmin, input: (fx) => ({ userId: fx.member.id, reason: "Access log disable" }) },
  "admin.enableUser": { as: asPlatformAdmin, input: (fx) => ({ userId: fx.member.id }) },
  "admin.revokeUserSessions": { as: asPlatformAdmin, input: (fx) => ({ userId: fx.member.id }) },
  "admin.grantPlatformAdmin": { as: asPlatformAdmin, input: (fx) => ({ userId: fx.outsider.id, reason: "Access log: joins the rota" }) },
  "admin.revokePlatformAdmin": {
    as: asPlatformAdmin,
    before: (fx) => db.user.update({ where: { id: fx.outsider.id }, data: { isPlatformAdmin: true } }),
    input: (fx) => ({ userId: fx.outsider.id, reason: "Access log: left the rota" }),
  },
  "admin.setTokenBudget": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id, monthlyTokens: 1_000_000, reason: "Access log: trial plan" }) },
  "admin.usage": { as: asPlatformAdmin, input: () => ({}) },
  "admin.auditLog": { as: asPlatformAdmin, input: (fx) => ({ tenant: fx.tenant.slug, action: "tenant." }) },
  "admin.jobRuns": { as: asPlatformAdmin, input: () => ({ status: "COMPLETED" }) },
  "admin.deadLetters": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id, status: "open" }) },
  "admin.deadLetter": { as: asPlatformAdmin, input: (fx) => ({ id: fx.deadLetterId }) },
  "admin.replayDeadLetter": { as: asPlatformAdmin, input: (fx) => ({ id: fx.deadLetterId }) },
  "admin.discardDeadLetter": { as: asPlatformAdmin, input: (fx) => ({ id: fx.deadLetterId, reason: "obsolete event" }) },
  "admin.diagnostics": { as: asPlatformAdmin, input: () => ({}) },
  "admin.runDiagnostic": { as: asPlatformAdmin, input: () => ({ fail: false }) },
  "admin.fixDiagnostic": { as: asPlatformAdmin, input: (fx) => ({ pingId: fx.diagnosticPingId }) },
  "admin.ops.slos": { as: asPlatformAdmin, input: () => undefined },
  "admin.ops.live": { as: asPlatformAdmin, input: () => undefined },
  "admin.ops.topTenants": { as: asPlatformAdmin, input: () => undefined },
  "admin.ops.queueBacklog": { as: asPlatformAdmin, input: () => undefined },
  "support.open": {
    as: asPlatformAdmin,
    input: (fx) => ({ tenantId: fx.other.tenant.id, reason: "Access log: investigating a ticket", durationMinutes: 15 }),
    tenantId: (fx) => fx.other.tenant.id,
  },
  "support.end": { as: asPlatformAdmin, input: (fx) => ({ id: fx.supportSessionId }) },
  "support.list": { as: asPlatformAdmin, input: () => ({}) },
  "support.get": { as: asPlatformAdmin, input: (fx) => ({ id: fx.supportSessionId }) },
  "support.conversations": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id }) },
  "support.conversation": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id, conversationId: fx.conversationId }) },
  "support.documents": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id }) },
  "support.meetings": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id }) },
  "support.tasks": { as: asPlatformAdmin, input: (fx) => ({ tenantId: fx.tenant.id }) },
  "audit.list": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), action: "member." }) },
  "accessReview.open": { as: asOwner, input: slugOf },
  "accessReview.decide": {
    as: asOwner,
    before: openReview,
    input: (fx, r: { reviewId: string; itemIds: string[] }) => ({ ...slugOf(fx), reviewId: r.reviewId, itemId: r.itemIds[0], decision: "keep" }),
  },
  "accessReview.complete": {
    as: asOwner,
    before: async (fx) => {
      const r = await openReview(fx);
      const decide = procedureOf(callerFor(fx.owner), "accessReview.decide");
      for (const itemId of r.itemIds) await decide({ ...slugOf(fx), reviewId: r.reviewId, itemId, decision: "keep" });
      return r;
    },
    input: (fx, r: { reviewId: string }) => ({ ...slugOf(fx), reviewId: r.reviewId }),
  },
  "accessReview.setInterval": { as: asOwner, input: (fx) => ({ ...slugOf(fx), days: 120 }) },
  "onboarding.dismiss": { as: asAdmin, input: slugOf },
  "onboarding.restore": { as: asAdmin, before: (fx) => callerFor(fx.admin).onboarding.dismiss(slugOf(fx)), input: slugOf },
  "onboarding.confirmPersonas": { as: asAdmin, input: slugOf },
  "onboarding.keepOfflineModel": { as: asAdmin, input: slugOf },
  "privacy.update": { as: asOwner, input: (fx) => ({ ...slugOf(fx), telemetryEnabled: false, retention: { conversations: 90, audit: 730 } }) },
  "deletion.requestWorkspace": { as: asOwner, input: (fx) => ({ ...slugOf(fx), confirmation: fx.tenant.slug }) },
  "deletion.cancelWorkspace": { as: asOwner, before: (fx) => callerFor(fx.owner).deletion.requestWorkspace({ ...slugOf(fx), confirmation: fx.tenant.slug }), input: slugOf },
  "dataExport.request": { as: (fx) => fx.member, input: (fx) => ({ ...slugOf(fx), scope: "user" }) },
  "dataExport.link": { as: asAdmin, input: (fx) => ({ ...slugOf(fx), exportId: fx.dataExportId }) },
  "keys.rotate": { as: asOwner, input: slugOf },
  "keys.rollback": { as: asOwner, before: rotatedKey, input: slugOf },
  "keys.destroy": {
    as: asOwner,
    // v1 retired, and longer ago than the destroy window (the router has no clock to pass).
    before: async (fx) => {
      const rotation = await rotatedKey(fx);
      await retireReplacedVersion(rotation.id, new Date(rotation.retireAfter!.getTime() + 1000));
      const longAgo = new Date(Date.now() - (env.KEY_DESTROY_AFTER_DAYS + 1) * 86_400_000);
      await db.tenantDataKey.update({ where: { tenantId_version: { tenantId: fx.tenant.id, version: 1 } }, data: { retiredAt: longAgo } });
    },
    input: (fx) => ({ ...slugOf(fx), version: 1, confirmation: "destroy v1" }),
  },
  "admin.keys.fleet": { as: asPlatformAdmin, input: () => undefined },
  "admin.keys.rotateMaster": { as: asPlatformAdmin, input: () => undefined },
  // Limited to the fixture's workspace: without tenantIds it would rotate every tenant of the test database.
  "admin.keys.rotateAllDataKeys": { as: asPlatformAdmin, input: (fx) => ({ tenantIds: [fx.tenant.id] }) },
};

type RouteCase = {
  as: (fx: Fixture) => FactoryUser;
  /** Values of the route's [segments]. */
  params: (fx: Fixture) => Record<string, string>;
  query?: string | ((fx: Fixture) => string);
};

/** One allowed request for every admin / sensitive-read route. */
const ROUTE_CASES: Record<string, RouteCase> = {
  "GET /api/admin/audit/export": { as: asPlatformAdmin, params: () => ({}), query: "format=csv" },
  "GET /api/t/[tenantSlug]/audit/export": { as: asAdmin, params: (fx) => ({ tenantSlug: fx.tenant.slug }), query: "format=json" },
  "GET /api/t/[tenantSlug]/documents/[documentId]/original": { as: (fx) => fx.viewer, params: (fx) => ({ tenantSlug: fx.tenant.slug, documentId: fx.documentId }) },
  "GET /api/t/[tenantSlug]/exports/[exportId]/download": {
    as: asAdmin,
    params: (fx) => ({ tenantSlug: fx.tenant.slug, exportId: fx.dataExportId }),
    query: (fx) => {
      const expires = Math.floor(Date.now() / 1000) + 300;
      return `expires=${expires}&sig=${signExportLink(fx.dataExportId, fx.tenant.id, expires)}`;
    },
  },
};

const audited = (policy: Record<string, TAccessLogRule>) =>
  Object.entries(policy)
    .filter((e): e is [string, Extract<TAccessLogRule, { events: unknown }>] => e[1].kind !== "none")
    .sort(([a], [b]) => a.localeCompare(b));

const allProcedures = Object.keys(appRouter._def.procedures).sort();

// ─── the route files ─────────────────────────────────────────────────────────

const APP_DIR = path.resolve(import.meta.dirname, "../src/app");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const routeFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return routeFiles(full);
    return d.name === "route.ts" ? [full] : [];
  });

/** "<METHOD> <route>" for every handler exported by a route file under src/app/api. */
const allRoutes = async () => {
  const keys: string[] = [];
  for (const file of routeFiles(path.join(APP_DIR, "api"))) {
    const mod = (await import(file)) as Record<string, unknown>;
    const route = `/${path.relative(APP_DIR, path.dirname(file)).split(path.sep).join("/")}`;
    for (const m of HTTP_METHODS) if (typeof mod[m] === "function") keys.push(`${m} ${route}`);
  }
  return keys.sort();
};

describe("access-log policy: coverage", () => {
  it("classifies every procedure of appRouter", () => {
    expect(allProcedures.length).toBeGreaterThan(50);
    expect(allProcedures.filter((p) => !(p in ACCESS_LOG_POLICY))).toEqual([]);
  });
  it("classifies only procedures that exist", () => {
    expect(Object.keys(ACCESS_LOG_POLICY).filter((p) => !allProcedures.includes(p))).toEqual([]);
  });
  it("has a call for every admin and sensitive-read procedure, and none for others", () => {
    const wanted = audited(ACCESS_LOG_POLICY).map(([p]) => p);
    expect(wanted.filter((p) => !(p in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((p) => !wanted.includes(p))).toEqual([]);
  });
  it("classifies every route handler under src/app/api, and only those", async () => {
    const routes = await allRoutes();
    expect(routes).toContain("GET /api/t/[tenantSlug]/audit/export");
    expect(routes.filter((r) => !(r in ACCESS_LOG_ROUTES))).toEqual([]);
    expect(Object.keys(ACCESS_LOG_ROUTES).filter((r) => !routes.includes(r))).toEqual([]);
  });
  it("has a request for every admin and sensitive-read route, and none for others", () => {
    const wanted = audited(ACCESS_LOG_ROUTES).map(([r]) => r);
    expect(wanted.filter((r) => !(r in ROUTE_CASES))).toEqual([]);
    expect(Object.keys(ROUTE_CASES).filter((r) => !wanted.includes(r))).toEqual([]);
  });
  it("names an event for every admin and sensitive-read entry", () => {
    for (const [key, rule] of [...audited(ACCESS_LOG_POLICY), ...audited(ACCESS_LOG_ROUTES)]) expect(rule.events.length, key).toBeGreaterThan(0);
  });
});

// ─── the calls ───────────────────────────────────────────────────────────────

type Where = { chain: string; action: string; actorId: string };

const whereOf = (ev: TExpectedAuditEvent, tenantId: string, actorId: string): Where => ({ chain: ev.chain === "platform" ? PLATFORM_CHAIN : tenantId, action: ev.action, actorId });

/** The audit rows that match, oldest first. */
const rowsOf = (w: Where, since = 0) => db.auditEvent.findMany({ where: { ...w, seq: { gt: since } }, orderBy: { seq: "asc" } });

/** The newest seq per chain, so the events a call appends can be told from older ones. */
const headsOf = async (chains: string[]) =>
  new Map(await Promise.all([...new Set(chains)].map(async (c) => [c, (await db.auditEvent.aggregate({ where: { chain: c }, _max: { seq: true } }))._max.seq ?? 0] as const)));

/** Asserts each expected event was appended after `heads`, by the actor, as SUCCESS, and that none carries a secret or content. */
const expectAppended = async (events: readonly TExpectedAuditEvent[], heads: Map<string, number>, tenantId: string, actorId: string) => {
  for (const ev of events) {
    const w = whereOf(ev, tenantId, actorId);
    const rows = await rowsOf(w, heads.get(w.chain) ?? 0);
    expect(rows.length, `no ${ev.action} on the ${ev.chain} chain by the caller`).toBeGreaterThan(0);
    expect(rows.map((r) => r.result)).toContain("SUCCESS");
    const text = JSON.stringify(rows);
    for (const secret of SECRETS) expect(text, `${ev.action} carries a secret or content`).not.toContain(secret);
  }
};

describe("access logging: a refused platform-admin call is audited as DENIED", () => {
  const platformProcedures = audited(ACCESS_LOG_POLICY).filter(([, r]) => r.platformAdmin);
  it.each(platformProcedures.map(([procedure, rule]) => ({ procedure, action: rule.events[0]!.action })))("$procedure as a workspace owner", async ({ procedure, action }) => {
    const fx = await makeFixture();
    const heads = await headsOf([PLATFORM_CHAIN]);
    await expect(procedureOf(callerFor(fx.owner), procedure)(CASES[procedure]!.input(fx, undefined as never))).rejects.toMatchObject({ code: "FORBIDDEN" });
    const rows = await rowsOf({ chain: PLATFORM_CHAIN, action, actorId: fx.owner.id }, heads.get(PLATFORM_CHAIN));
    expect(rows.map((r) => ({ result: r.result, actorType: r.actorType }))).toEqual([{ result: "DENIED", actorType: "USER" }]);
  });
});

describe("access logging: every admin and sensitive-read route appends its audit events", () => {
  it.each(audited(ACCESS_LOG_ROUTES).map(([route, rule]) => ({ route, kind: rule.kind, rule })))("$route ($kind)", async ({ route, rule }) => {
    const fx = await makeFixture();
    const c = ROUTE_CASES[route]!;
    const [method, pattern] = route.split(" ") as [string, string];
    const params = c.params(fx);
    const urlPath = pattern.replace(/\[([^\]]+)\]/g, (_m, name: string) => encodeURIComponent(params[name]!));
    const mod = (await import(path.join(APP_DIR, pattern, "route.ts"))) as Record<string, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>;
    const caller = c.as(fx);
    const query = typeof c.query === "function" ? c.query(fx) : c.query;
    const req = new Request(`http://localhost:3000${urlPath}${query ? `?${query}` : ""}`, {
      method,
      headers: { "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", cookie: await sessionCookieFor(caller) },
    });
    const heads = await headsOf([PLATFORM_CHAIN, fx.tenant.id]);
    const res = await mod[method]!(req, { params: Promise.resolve(params) });
    expect(res.status, await res.clone().text()).toBe(200);
    await res.arrayBuffer();
    await expectAppended(rule.events, heads, fx.tenant.id, caller.id);
  });
});

describe("access logging: every admin and sensitive-read procedure appends its audit events", () => {
  it.each(audited(ACCESS_LOG_POLICY).map(([procedure, rule]) => ({ procedure, kind: rule.kind, rule })))(
    "$procedure ($kind)",
    async ({ procedure, rule }) => {
      const fx = await makeFixture();
      const c = CASES[procedure]!;
      const prepared = await c.before?.(fx);
      const caller = c.as(fx);
      // Heads of every chain the call may write: the fixture tenants' and the platform's (tenant.create's new chain starts empty).
      const heads = await headsOf([PLATFORM_CHAIN, fx.tenant.id, fx.other.tenant.id]);
      const result = await procedureOf(callerFor(caller), procedure)(c.input(fx, prepared as never));
      const tenantId = c.tenantId?.(fx, result) ?? fx.tenant.id;
      const actorId = c.actorId?.(fx, result) ?? caller!.id;
      await expectAppended(rule.events, heads, tenantId, actorId);
    },
    // keys.rollback / keys.destroy first run a rotation through the real job engine, which waits out a
    // key-cache TTL and shares the engine with whatever else the run left behind.
    180_000,
  );
});
