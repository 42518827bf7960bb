/**
 * The Terms/Privacy version a user accepted is recorded when the account is created (issue 16),
 * on every way an account comes to exist: the password sign-up (the box, refused without it) and
 * the accounts Auth.js creates itself on a first magic-link or SSO sign-in (which is also how an
 * invitation's new member arrives). Real PostgreSQL; the HTTP 400 is in trpc-route.test.ts.
 */
import type { AdapterUser } from "next-auth/adapters";
import { describe, expect, it } from "vitest";
import { uid } from "../prisma/factories";
import { LEGAL_VERSION } from "~/lib/legal";
import { authConfig } from "~/server/auth/config";
import { db } from "~/server/db/client";
import { callerFor } from "./support/trpc";

const unique = () => `legal-${uid()}@example.test`;

describe("the legal version accepted", () => {
  it("a password sign-up with the box ticked records the version in force and when; the account page reads it back", async () => {
    const email = unique();
    const before = new Date();
    const created = await callerFor(null).account.signUp({ email, name: "Lena Legal", password: "a-long-enough-password", locale: "en", acceptLegal: true });
    const row = await db.user.findUniqueOrThrow({ where: { id: created.id }, select: { legalVersionAccepted: true, legalAcceptedAt: true } });
    expect(row.legalVersionAccepted).toBe(LEGAL_VERSION);
    expect(row.legalAcceptedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(row.legalAcceptedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const me = await callerFor({ id: created.id, email, name: "Lena Legal", isPlatformAdmin: false }).account.me();
    expect(me).toMatchObject({ legalVersionAccepted: LEGAL_VERSION, legalAcceptedAt: row.legalAcceptedAt });
  });

  it("without the box ticked the sign-up is refused with the reason legalNotAccepted and creates nothing", async () => {
    const email = unique();
    const err = await callerFor(null)
      .account.signUp({ email, name: "No Box", password: "a-long-enough-password", locale: "en", acceptLegal: false })
      .then(
        () => null,
        (e: unknown) => e as { code: string; cause?: { issues?: { params?: { reason?: string } }[] } },
      );
    expect(err?.code).toBe("BAD_REQUEST");
    expect(err?.cause?.issues?.[0]?.params?.reason).toBe("legalNotAccepted");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("an account Auth.js creates (first magic link, SSO, an invitee's first sign-in) records the version in the same insert", async () => {
    const email = unique();
    const created = await authConfig.adapter.createUser!({ id: "ignored-by-the-adapter", email, emailVerified: new Date() } as AdapterUser);
    const row = await db.user.findUniqueOrThrow({ where: { id: created.id }, select: { email: true, legalVersionAccepted: true, legalAcceptedAt: true } });
    expect(row).toMatchObject({ email, legalVersionAccepted: LEGAL_VERSION, legalAcceptedAt: expect.any(Date) });
  });
});
