/**
 * Runs in every test worker before the test file is imported: copies the
 * database URL and test environment chosen by global-setup.ts into process.env,
 * so src/env.js validates them when app code is first imported.
 */
import { inject } from "vitest";

for (const [k, v] of Object.entries(inject("testEnv"))) process.env[k] = v;
process.env.DATABASE_URL = inject("databaseUrl");
