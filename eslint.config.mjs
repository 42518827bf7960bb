import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layering rules from docs/ARCHITECTURE.md, enforced here so a wrong import
// fails `npm test`: UI → tRPC → services → db/infra, never backwards.
const restrict = (files, patterns, ignores = []) => ({ files, ignores, rules: { "no-restricted-imports": ["error", { patterns }] } });

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "node_modules/**", "src/server/db/generated/**", "perf/**", "test-results/**", "playwright-report/**", ".data/**", "next-env.d.ts"]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  restrict(["src/components/**", "src/features/**", "src/lib/**"], [
    { group: ["~/server/*", "~/server/**"], message: "UI and lib code must not import server code; use tRPC and RouterOutputs types." },
  ], ["src/features/*/server.ts"]), // RSC-only helpers (import "server-only"), used by pages
  restrict(["src/server/api/**"], [
    { group: ["~/server/db/*", "~/server/db/**", "@prisma/*"], message: "Routers never touch Prisma: call a service." },
  ]),
  restrict(["src/server/services/**"], [
    { group: ["@trpc/*", "next/*", "next", "~/server/api/*", "~/server/api/**", "~/server/auth", "~/server/auth/*"], message: "Services are transport-free: no tRPC, Next.js or auth imports." },
  ]),
  restrict(["inngest/**"], [
    { group: ["~/server/api/*", "~/server/api/**", "~/trpc/*", "~/components/*", "~/features/*", "~/app/*"], message: "Inngest functions call services only." },
  ]),
  restrict(["src/server/db/**", "src/server/infra/**", "src/server/events/**"], [
    { group: ["~/server/services/*", "~/server/services/**", "~/server/api/*", "~/server/api/**"], message: "db/infra/events are leaves." },
  ]),
]);
