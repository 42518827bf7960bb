import { expect, test, type Page } from "@playwright/test";
import { LEGAL_VERSION } from "../../src/lib/legal";
import { signUpAndSignIn } from "../support/accounts";
import { DEMO_TENANT, demo, expectAccessible, perFileClientIp, signInWithApi } from "../support/fixtures";

// Issue 16, legal pages: the footer with the Terms of Service and Privacy Policy links and the
// version in force is on every page of every layout (public, signed-in shell, workspace, admin,
// not-found, a section's error boundary) in every locale; the pages have their sections, version,
// date and the placeholder note; the version a user accepted shows on the account page.

test.use(perFileClientIp());

const slug = DEMO_TENANT.slug;
const LOCALES = ["en", "es"] as const;
type Locale = (typeof LOCALES)[number];
const TEXT = {
  en: { legal: "Legal", terms: "Terms of Service", privacy: "Privacy Policy", version: `Terms and Privacy version ${LEGAL_VERSION}` },
  es: { legal: "Legal", terms: "Condiciones del servicio", privacy: "Política de privacidad", version: `Condiciones y privacidad, versión ${LEGAL_VERSION}` },
} as const;

/** The page's footer: its Legal navigation links to this locale's Terms and Privacy pages and names the version. */
const expectLegalFooter = async (page: Page, locale: Locale, where: string) => {
  const footer = page.getByRole("contentinfo");
  await expect(footer, `one footer on ${where}`).toHaveCount(1);
  const nav = footer.getByRole("navigation", { name: TEXT[locale].legal });
  await expect(nav.getByRole("link", { name: TEXT[locale].terms }), `Terms link on ${where}`).toHaveAttribute("href", `/${locale}/legal/terms`);
  await expect(nav.getByRole("link", { name: TEXT[locale].privacy }), `Privacy link on ${where}`).toHaveAttribute("href", `/${locale}/legal/privacy`);
  await expect(nav.getByText(TEXT[locale].version), `version on ${where}`).toBeVisible();
};

// Many page loads per test (each a server render under a loaded CI machine): a longer budget.
const LAYOUT_TIMEOUT = 240_000;

// One @critical group (quoted in docs/testing.md), three tests: one per kind of visitor.
test.describe("every layout shows the Terms and Privacy links and the version in its footer, in en and es", { tag: "@critical" }, () => {
  test("signed out, the public pages and the root not-found page show the legal footer, in en and es", async ({ page }) => {
    test.setTimeout(LAYOUT_TIMEOUT);
    for (const locale of LOCALES) {
      for (const path of ["", "/sign-in", "/legal/privacy", "/no-such-page"]) {
        await page.goto(`/${locale}${path}`);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectLegalFooter(page, locale, `/${locale}${path}`);
      }
    }
  });

  test("signed in, the app shell, a workspace page, its not-found page and a section's error boundary show the legal footer, in en and es", async ({ page }) => {
    test.setTimeout(LAYOUT_TIMEOUT);
    await signInWithApi(page.request, demo("OWNER"));
    for (const locale of LOCALES) {
      for (const path of ["/workspaces", "/account", `/t/${slug}`, `/t/${slug}/no-such-page`]) {
        await page.goto(`/${locale}${path}`);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectLegalFooter(page, locale, `/${locale}${path}`);
      }
      // The e2e server's fault seam (src/lib/server-pages/injected-fault.ts) makes a workspace page fail.
      await page.setExtraHTTPHeaders({ "x-ocsuite-e2e-fault": "page" });
      await page.goto(`/${locale}/t/${slug}/meetings`);
      await expect(page.getByTestId("route-error")).toBeVisible();
      await expectLegalFooter(page, locale, `error boundary of /${locale}/t/${slug}/meetings`);
      await page.setExtraHTTPHeaders({});
    }
  });

  test("the admin panel and its not-found page show the legal footer, in en and es", async ({ page }) => {
    test.setTimeout(LAYOUT_TIMEOUT);
    await signInWithApi(page.request, demo("PLATFORM_ADMIN"));
    for (const locale of LOCALES) {
      for (const path of ["/admin", "/admin/no-such-page"]) {
        await page.goto(`/${locale}${path}`);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectLegalFooter(page, locale, `/${locale}${path}`);
      }
    }
  });
});

test("the Terms and Privacy pages: version, date in the page's language, placeholder note, contents linking to numbered sections", async ({ page }) => {
  await page.goto("/es/sign-in");
  await page.getByRole("contentinfo").getByRole("link", { name: "Condiciones del servicio" }).click();
  await expect(page).toHaveURL(/\/es\/legal\/terms$/);
  await expect(page.getByRole("heading", { level: 1, name: "Condiciones del servicio" })).toBeVisible();
  await expect(page.getByText(`Versión ${LEGAL_VERSION} · En vigor desde el 7 de diciembre de 2026`)).toBeVisible();
  await expect(page.getByText("Texto provisional pendiente de revisión jurídica")).toBeVisible();
  const contents = page.getByRole("navigation", { name: "Índice" });
  await expect(contents.getByRole("listitem")).toHaveCount(11);
  await contents.getByRole("link", { name: "Resultados generados por IA" }).click();
  await expect(page).toHaveURL(/#terms-ai-output$/);
  await expect(page.getByRole("heading", { level: 2, name: "5. Resultados generados por IA" })).toBeInViewport();
  await expectAccessible(page);

  await page.goto("/en/legal/privacy");
  await expect(page.getByText(`Version ${LEGAL_VERSION} · Effective December 7, 2026`)).toBeVisible();
  await expect(page.getByText("Placeholder pending legal review")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Contents" }).getByRole("listitem")).toHaveCount(12);
  await expect(page.getByRole("heading", { level: 2, name: "9. Cookies" })).toBeVisible();
  await expectAccessible(page);
});

test("sign-up asks for the agreement with links to both pages; the account page shows the version accepted", async ({ page }) => {
  await page.goto("/es/sign-up");
  // Its name is the label, links included (each says it opens a new tab).
  const box = page.getByRole("checkbox", { name: /^Acepto las Condiciones del servicio.* y la Política de privacidad/ });
  await expect(box).not.toBeChecked();
  await expect(box).toHaveAttribute("required", "");
  // In the form, the links open in a new tab so what was typed is kept.
  const form = page.getByRole("main");
  await expect(form.getByRole("link", { name: "Condiciones del servicio (se abre en una pestaña nueva)" })).toHaveAttribute("href", "/es/legal/terms");
  await expect(form.getByRole("link", { name: "Política de privacidad (se abre en una pestaña nueva)" })).toHaveAttribute("target", "_blank");
  await page.goto("/en/sign-in");
  await expect(page.getByText("By continuing you agree to the Terms of Service and the Privacy Policy.")).toBeVisible();

  await signUpAndSignIn(page.request, "legal", "Lee Legal");
  await page.goto("/en/account");
  await expect(page.getByTestId("legal-accepted")).toContainText(`Terms accepted: version ${LEGAL_VERSION} on `);
  await expect(page.getByTestId("legal-accepted")).toContainText("This is the current version.");
});
