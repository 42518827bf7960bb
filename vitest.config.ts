import path from "node:path";
import { defineConfig } from "vitest/config";

const r = (p: string) => path.resolve(import.meta.dirname, p);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^~\//, replacement: `${r("src")}/` },
      { find: /^@ocsuite\/crypto$/, replacement: r("packages/crypto/src/index.ts") },
      // `server-only` throws outside an RSC bundle; in Node tests it is a no-op.
      { find: /^server-only$/, replacement: r("tests/support/empty.ts") },
    ],
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "tests/**/*.test.ts", "packages/**/*.test.ts", "inngest/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["**/node_modules/**", "e2e/**", "perf/**", ".next/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-env.ts"],
    // One shared database per run and a 2-core machine: files run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    server: {
      deps: {
        // src/server/api/trpc.ts imports ~/server/auth (next-auth), whose ESM
        // build imports "next/server" without an extension. Node's ESM resolver
        // refuses that; letting Vite transform next-auth resolves it like Next does.
        inline: ["next-auth", "@auth/core"],
      },
    },
  },
});
