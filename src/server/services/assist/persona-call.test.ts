import { describe, expect, it } from "vitest";
import { createTenantWithMembers } from "../../../../prisma/factories";
import { db } from "~/server/db/client";
import { isAppError } from "~/server/errors";
import { OFFLINE_MODEL_ID } from "../llm/offline-model";
import { addTokens, askPersona, localeFor, resolvePersona, tokensOf } from "./persona-call";

describe("localeFor", () => {
  it("takes the requested locale, else the user's saved one, else none", async () => {
    const f = await createTenantWithMembers();
    await db.user.update({ where: { id: f.member.id }, data: { locale: "es" } });
    expect(await localeFor({ userId: f.member.id, requested: "en" })).toBe("en");
    expect(await localeFor({ userId: f.member.id })).toBe("es");
    expect(await localeFor({ userId: null })).toBeNull();
  });
});

describe("resolvePersona", () => {
  it("resolves the tenant's persona on the offline model, in the user's language", async () => {
    const f = await createTenantWithMembers();
    await db.user.update({ where: { id: f.member.id }, data: { locale: "es" } });
    const p = await resolvePersona({ tenantId: f.tenant.id, userId: f.member.id, personaKey: "cfo" });
    expect(p).toMatchObject({ key: "cfo", model: { provider: "offline" }, tenantProfile: { locale: "es" } });
  });

  it("refuses a disabled persona with personaDisabled", async () => {
    const f = await createTenantWithMembers();
    await db.tenantPersona.create({ data: { tenantId: f.tenant.id, key: "cto", enabled: false } });
    const err: unknown = await resolvePersona({ tenantId: f.tenant.id, userId: f.member.id, personaKey: "cto" }).catch((e: unknown) => e);
    expect(isAppError(err) && err.reason).toBe("personaDisabled");
  });
});

describe("askPersona: token accounting", () => {
  it("returns the whole answer with the tokens the LlmCall row recorded, and addTokens adds them to a running total", async () => {
    const f = await createTenantWithMembers();
    const persona = await resolvePersona({ tenantId: f.tenant.id, userId: f.member.id, personaKey: "cfo" });
    const answer = await askPersona({ tenantId: f.tenant.id, userId: f.member.id, persona, messages: [{ role: "user", content: "What is our runway?" }] });
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.result).toMatchObject({ provider: "offline", model: OFFLINE_MODEL_ID, offline: true });
    expect(answer.tokens.inputTokens).toBeGreaterThan(0);
    expect(answer.tokens.outputTokens).toBeGreaterThan(0);

    const call = await db.llmCall.findUniqueOrThrow({ where: { id: answer.result.llmCallId! } });
    expect(call).toMatchObject({ tenantId: f.tenant.id, userId: f.member.id, personaKey: "cfo", status: "ok", ...answer.tokens });

    const conv = await db.conversation.create({
      data: { tenantId: f.tenant.id, userId: f.member.id, personaKey: "cfo", title: "Runway", lastMessageAt: new Date(), inputTokens: 10, outputTokens: 20 },
    });
    await db.conversation.update({ where: { id: conv.id }, data: addTokens(answer.tokens) });
    await db.conversation.update({ where: { id: conv.id }, data: addTokens({}) });
    expect(await db.conversation.findUniqueOrThrow({ where: { id: conv.id }, select: { inputTokens: true, outputTokens: true } })).toEqual({
      inputTokens: 10 + answer.tokens.inputTokens,
      outputTokens: 20 + answer.tokens.outputTokens,
    });
  });

  it("counts a provider that reports no usage as zero tokens", () => {
    expect(tokensOf({ inputTokens: null, outputTokens: 7 })).toEqual({ inputTokens: 0, outputTokens: 7 });
  });
});
