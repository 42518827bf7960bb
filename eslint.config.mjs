import { readdirSync } from "node:fs";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layering rules from docs/ARCHITECTURE.md, enforced here so a wrong import
// fails `npm test`: UI → tRPC → services → db/infra, never backwards.
const restrict = (files, patterns, ignores = []) => ({ files, ignores, rules: { "no-restricted-imports": ["error", { patterns }] } });

// UI import arrows run downward: app (pages) → features → components → lib.
// A feature is one slice of the product and never imports another feature:
// what two features share moves down to components/ (UI) or lib/ (types,
// constants, RSC loader helpers in lib/server-pages). These are path zones
// (import/no-restricted-paths, from eslint-plugin-import that
// eslint-config-next registers, resolving `~/` like tsc does) rather than
// more no-restricted-imports entries: a second no-restricted-imports config
// for the same files would replace the ~/server restriction below, not add
// to it. The feature list is read from disk so a new feature is covered too.
const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const layerZones = [
  { target: "./src/components", from: "./src/features", message: "components/ is shared UI and never imports a feature; move the shared piece down to components/ or lib/." },
  { target: "./src/components", from: "./src/app", message: "components/ never imports pages." },
  { target: "./src/features", from: "./src/app", message: "Features never import pages." },
  { target: "./src/lib", from: ["./src/features", "./src/components", "./src/app"], message: "lib/ is the bottom layer: it imports no UI." },
  ...features.map((name) => ({
    target: `./src/features/${name}`,
    from: "./src/features",
    except: [`./${name}`],
    message: `features/${name} may not import another feature; move what both need to components/ or lib/.`,
  })),
];

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
  ], ["src/features/*/server.ts", "src/lib/server-pages/**"]), // RSC-only helpers (import "server-only"), used by pages
  {
    files: ["src/app/**", "src/features/**", "src/components/**", "src/lib/**"],
    rules: { "import/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: layerZones }] },
  },
  {
    // Type-only imports do not count for import/no-cycle (they vanish at build
    // time); value import cycles in the UI layers are errors.
    files: ["src/features/**", "src/components/**", "src/lib/**"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
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
