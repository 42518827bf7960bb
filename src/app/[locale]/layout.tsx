import "../globals.css";
import type { Metadata } from "next";
import { hasLocale, NextIntlClientProvider } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ThemeProvider } from "~/components/theme/theme-provider";
import { ToastProvider } from "~/components/ui/toast";
import { routing } from "~/i18n/routing";
import { parseTheme, THEME_COOKIE, themeAttribute } from "~/lib/theme";
import { TRPCReactProvider } from "~/trpc/react";

export const generateStaticParams = () => routing.locales.map((locale) => ({ locale }));

export const generateMetadata = async ({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> => {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) return {};
  const t = await getTranslations({ locale, namespace: "common" });
  return { title: { template: `%s · ${t("productName")}`, default: t("productName") } };
};

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  // The theme is rendered into the first byte of HTML (data-theme, src/lib/theme.ts): no flash of
  // the wrong theme and no inline script, which the nonce CSP would refuse anyway.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang={locale} data-theme={themeAttribute(theme)}>
      <body className="min-h-screen bg-bg text-fg antialiased">
        <ThemeProvider initialTheme={theme}>
          <NextIntlClientProvider>
            <TRPCReactProvider>
              <ToastProvider>{children}</ToastProvider>
            </TRPCReactProvider>
          </NextIntlClientProvider>
        </ThemeProvider>
      </body>
    </html>
  );
}
