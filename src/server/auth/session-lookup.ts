import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { AppError } from "~/server/errors";

// Auth.js swallows an error thrown by the jwt callback and answers "no session",
// so a database outage looked like a signed-out user: every request answered 401
// (found by the chaos run, npm run perf:chaos, during a PostgreSQL restart). The
// callback reports the failed Session lookup here, and the caller turns it into
// a 503: the user is still signed in, the service is what is down.
const store = new AsyncLocalStorage<{ failure: unknown }>();

/** Called by the jwt callback when the Session row could not be read. */
export const noteSessionLookupFailure = (err: unknown) => {
  const s = store.getStore();
  if (s) s.failure = err;
};

/** Runs an Auth.js session read; throws SERVICE_UNAVAILABLE when the session store could not be read. */
export const readSession = async <T>(read: () => Promise<T>): Promise<T> => {
  const s = { failure: null as unknown };
  const session = await store.run(s, read);
  if (s.failure) throw new AppError("SERVICE_UNAVAILABLE", "sessionStoreUnavailable", "Sessions cannot be checked right now; try again shortly", { cause: s.failure, retryAfterSeconds: 5 });
  return session;
};
