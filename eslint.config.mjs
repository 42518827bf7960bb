import { readdirSync } from "node:fs";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import eslintComments from "@eslint-community/eslint-plugin-eslint-comments/configs";

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

// Server layering beyond the leaf rules below: chat is a product flow, not a
// library. Meetings, tasks and every other service share persona work through
// services/assist; none of them imports services/chat (so chat can change
// without breaking them, and no cycle can form through it).
const services = readdirSync(new URL("./src/server/services", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "chat")
  .map((d) => d.name);
const serverZones = [
  ...services.map((name) => ({
    target: `./src/server/services/${name}`,
    from: "./src/server/services/chat",
    message: "Only chat imports services/chat: share persona work through services/assist.",
  })),
  { target: "./inngest", from: "./src/server/services/chat", message: "Jobs share persona work through services/assist, not chat." },
];

// Size limits for the server and the jobs (docs/CODE_STYLE.md): a file over
// 350 lines or a function over 80 has stopped saying one thing. Counted without
// blank lines and comments. A function that must be longer carries its reason
// at its top: `// eslint-disable-next-line max-lines-per-function -- <why>`;
// eslint-comments/require-description refuses a disable without one.
const sizeLimits = {
  "max-lines": ["error", { max: 350, skipBlankLines: true, skipComments: true }],
  "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
};

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
  {
    files: ["src/server/**", "inngest/**"],
    rules: {
      "import/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: serverZones }],
      "import/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    files: ["src/server/**/*.{ts,tsx,js,mjs}", "inngest/**/*.{ts,tsx,js,mjs}"],
    rules: sizeLimits,
  },
  {
    // Tests: a file stays under the limit (split by behaviour), but a
    // describe() block is a list of cases, not a function that does one thing.
    files: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "max-lines-per-function": "off" },
  },
  eslintComments.recommended,
  { rules: { "@eslint-community/eslint-comments/require-description": ["error", { ignore: [] }] } },
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
