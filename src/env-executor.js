// The local Inngest executor's validated environment (inngest/local/main.ts).
// It is its own process and needs none of the app's secrets, so it cannot
// import src/env.js (which validates AUTH_SECRET and the rest on import); its
// variables are declared here instead, the one other place configuration is read.
import { z } from "zod";

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL");

const ZExecutorEnv = z.object({
  DATABASE_URL: postgresUrl,
  // Serve endpoint(s) to sync, comma-separated.
  INNGEST_APP_URL: z
    .string()
    .default("http://127.0.0.1:3000/api/inngest")
    .transform((v) => v.split(",").map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url()).min(1)),
  INNGEST_LOCAL_PORT: z.coerce.number().int().min(0).max(65_535).default(8288),
  INNGEST_LOCAL_LEASE_MS: z.coerce.number().int().positive().optional(),
  INNGEST_LOCAL_BACKOFF_MS: z.coerce.number().int().positive().optional(),
  INNGEST_LOCAL_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
});

/**
 * The local executor's validated environment; exits the process with a message naming each
 * bad variable (it runs as a CLI, not inside Next).
 * @param {Record<string, string | undefined>} [source]
 */
export const executorEnv = (source = process.env) => {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = ZExecutorEnv.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
  console.error(`inngest/local: invalid environment:\n${lines.join("\n")}`);
  process.exit(2);
};
