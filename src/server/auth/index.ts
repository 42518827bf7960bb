import "server-only";
import NextAuth from "next-auth";
import { cache } from "react";
import { authConfig } from "./config";

const { auth: uncachedAuth, handlers, signIn, signOut } = NextAuth(authConfig);

/** The current session, looked up once per request. */
export const auth = cache(uncachedAuth);
export { handlers, signIn, signOut };
