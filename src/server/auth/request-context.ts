import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestMeta } from "~/server/services/context";

// Auth.js events (signIn, signOut) receive no request. The auth route runs its
// handlers inside this store so those events can still audit the caller's IP
// and user agent.
const store = new AsyncLocalStorage<RequestMeta>();

export const withAuthRequestMeta = <T>(meta: RequestMeta, fn: () => T): T => store.run(meta, fn);
export const currentAuthRequestMeta = (): RequestMeta | undefined => store.getStore();
