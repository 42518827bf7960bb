import { defineConfig } from "vitest/config";

// The package's own suite: `npm test -w @ocsuite/crypto`. Pure Node crypto, no
// database, so none of the app's global setup. The app's `npm test` runs these
// files too (the root vitest.config.ts includes packages/**).
export default defineConfig({
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
