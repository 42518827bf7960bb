import { describe, expect, it } from "vitest";
import { createTenantWithMembers, createUser, DEFAULT_PASSWORD, tenantCtxOf, uid } from "../prisma/factories";
import { authConfig } from "~/server/auth/config";
import { db } from "~/server/db/client";
import { createInvitation } from "~/server/services/tenancy/invitations";
import { signUp } from "~/server/services/users/users";

// Every mail the app sends, in Spanish, read back from the dev mailbox table
// (no SMTP_URL in tests) as the recipient would get it.

const APP_URL = "http://localhost:3000";
const meta = () => ({ ip: `10.15.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`, userAgent: "vitest" });
const mailTo = (to: string) => db.devMail.findFirstOrThrow({ where: { to: to.toLowerCase() }, orderBy: { createdAt: "desc" } });

type EmailProvider = { id: string; sendVerificationRequest: (p: { identifier: string; url: string }) => Promise<void> };
const magicLinkProvider = () => authConfig.providers.find((p) => typeof p !== "function" && p.id === "email") as unknown as EmailProvider;
/** The link Auth.js builds: its callback URL is the sign-in page's landing under the page's locale. */
const magicLinkUrl = (email: string, callbackUrl: string) =>
  `${APP_URL}/api/auth/callback/email?${new URLSearchParams({ callbackUrl, token: "t0ken", email })}`;

describe("localised e-mails", () => {
  it("the magic link speaks the sign-in page's language (es), with the link and its lifetime", async () => {
    const email = `magic-es-${uid()}@example.test`;
    const url = magicLinkUrl(email, `${APP_URL}/es/after-sign-in?next=%2Fes%2Fworkspaces`);
    await magicLinkProvider().sendVerificationRequest({ identifier: email, url });
    const mail = await mailTo(email);
    expect(mail.subject).toBe("Tu enlace para iniciar sesión en OC Suite");
    expect(mail.text).toContain("Inicia sesión en OC Suite con este enlace (válido durante 15 minutos, de un solo uso):");
    expect(mail.text).toContain(url);
    expect(mail.text).toContain("Si no lo has pedido, ignora este correo.");
  });

  it("the magic link falls back to the account's stored language, then English", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { locale: "es" } });
    await magicLinkProvider().sendVerificationRequest({ identifier: user.email, url: magicLinkUrl(user.email, `${APP_URL}/`) });
    expect((await mailTo(user.email)).subject).toBe("Tu enlace para iniciar sesión en OC Suite");

    const stranger = `magic-en-${uid()}@example.test`;
    await magicLinkProvider().sendVerificationRequest({ identifier: stranger, url: magicLinkUrl(stranger, `${APP_URL}/`) });
    expect((await mailTo(stranger)).subject).toBe("Your OC Suite sign-in link");
  });

  it("the sign-up verification mail is in the sign-up page's language (es), link under /es", async () => {
    const email = `verify-es-${uid()}@example.test`;
    await signUp({ email, name: "Verónica", password: DEFAULT_PASSWORD, locale: "es", appUrl: APP_URL }, meta());
    const mail = await mailTo(email);
    expect(mail.subject).toBe("Confirma tu dirección de correo de OC Suite");
    expect(mail.text).toContain("Confirma que esta dirección es tuya para terminar de crear tu cuenta de OC Suite (válido durante 24 horas, de un solo uso):");
    expect(mail.text).toMatch(/http:\/\/localhost:3000\/es\/verify-email\?token=[A-Za-z0-9_-]+/);
    expect(mail.text).toContain("Hasta entonces la contraseña de la cuenta no funciona.");
  });

  it("an invitation to someone without an account is in the inviter's UI language (es), role and days localised", async () => {
    const f = await createTenantWithMembers();
    const email = `invite-es-${uid()}@example.test`;
    const inv = await createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { email, role: "ADMIN", appUrl: APP_URL, locale: "es" });
    const mail = await mailTo(email);
    expect(mail.subject).toBe(`Te han invitado a ${f.tenant.name} en OC Suite`);
    expect(mail.text).toContain(`Te han invitado a unirte a ${f.tenant.name} en OC Suite con el rol Administrador.`);
    expect(mail.text).toContain(`Acepta la invitación: ${inv.link}`);
    expect(mail.text).toContain("El enlace caduca en 7 días.");
  });

  it("an invitation to an existing account follows that account's stored language over the inviter's", async () => {
    const f = await createTenantWithMembers();
    const invitee = await createUser();
    await db.user.update({ where: { id: invitee.id }, data: { locale: "es" } });
    await createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { email: invitee.email, role: "VIEWER", appUrl: APP_URL, locale: "en" });
    const mail = await mailTo(invitee.email);
    expect(mail.subject).toBe(`Te han invitado a ${f.tenant.name} en OC Suite`);
    expect(mail.text).toContain("con el rol Lector.");

    // No stored preference and no inviter locale (an API caller): English, as before.
    const other = `invite-en-${uid()}@example.test`;
    await createInvitation(tenantCtxOf(f.tenant, f.owner, "OWNER"), { email: other, role: "MEMBER", appUrl: APP_URL });
    const english = await mailTo(other);
    expect(english.subject).toBe(`You're invited to ${f.tenant.name} on OC Suite`);
    expect(english.text).toContain("with the Member role.");
    expect(english.text).toContain("The link expires in 7 days.");
  });
});
