// Background jobs in the embedded default: the local executor (inngest/local,
// ADR 0007) signs every call request and sync with a signing key generated into
// the data folder (owner-only, reused on the next start, like auth-secret), and
// the app's serve handler runs in cloud mode, so /api/inngest refuses anything
// unsigned: anonymous callers cannot run a step or re-register the app. The app
// sends events to the executor through INNGEST_BASE_URL with a generated event
// key (the executor's intake refuses others), not INNGEST_DEV, which would also
// switch the serve handler to dev mode (unsigned requests accepted).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** @param {string} file @param {() => string} make */
const secretIn = (file, make) => {
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
};

/**
 * @param {{ dataDir: string, executorUrl: string }} input
 * @returns {{ app: Record<string, string | undefined>, executor: Record<string, string> }}
 */
export const localJobsEnv = ({ dataDir, executorUrl }) => {
  // The SDK's signing-key form (signkey-<env>-<hex>); it HMACs with the hex part.
  const signingKey = secretIn(path.join(dataDir, "inngest-signing-key"), () => `signkey-local-${randomBytes(32).toString("hex")}`);
  const eventKey = secretIn(path.join(dataDir, "inngest-event-key"), () => randomBytes(32).toString("hex"));
  return {
    app: { INNGEST_SIGNING_KEY: signingKey, INNGEST_EVENT_KEY: eventKey, INNGEST_BASE_URL: executorUrl, INNGEST_DEV: undefined },
    executor: { INNGEST_SIGNING_KEY: signingKey, INNGEST_LOCAL_EVENT_KEY: eventKey },
  };
};
