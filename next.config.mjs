import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

// Security headers for every response. The Content-Security-Policy is per
// request (a nonce), so src/proxy.ts sets it on pages. HSTS only in production
// (next start): under next dev on http://localhost it would pin the browser to
// https for localhost; browsers ignore it over plain http anyway.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  ...(process.env.NODE_ENV === "production" ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Packages that must stay real Node modules on the server (native bits,
  // dynamic requires, or their own worker files). libsodium-wrappers (sealed export archives)
  // loads its WebAssembly by itself (import.meta.url, a guarded require): Node runs it as tested.
  serverExternalPackages: ["pino", "@electric-sql/pglite", "@electric-sql/pglite-socket", "ioredis", "nodemailer", "undici", "libsodium-wrappers", "libsodium"],
  // The product's SLO views read the same spec Prometheus alerts on
  // (services/reliability/slo-spec.ts reads it at run time): ship it with the
  // server bundle so a serverless deployment has it too.
  outputFileTracingIncludes: { "/**": ["./ops/slo/slos.yaml"] },
  typedRoutes: false,
  // `npm test` type-checks the whole repo as its own step (tsc --noEmit);
  // doing it again inside every build only costs time.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default withNextIntl(config);
