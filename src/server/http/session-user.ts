import "server-only";
import { auth } from "~/server/auth";
import { readSession } from "~/server/auth/session-lookup";

/** The signed-in caller of a route handler, as the route kit needs it. */
export type RouteUser = { id: string; isPlatformAdmin: boolean };

/**
 * The signed-in user of a route-handler request, through Auth.js with the
 * request's own cookies (the `{ req, res }` form), so the same jwt callback
 * runs as everywhere else: a revoked or expired Session row, or a disabled
 * user, means no user. Unlike `auth()` without arguments it needs no Next
 * request scope, so tests can call the route with a real session cookie.
 */
export const sessionUserOf = async (req: Request): Promise<RouteUser | null> => {
  // A Session row that cannot be read (the database down) is a 503, not a signed-out caller.
  const session = await readSession(() =>
    (auth as unknown as (ctx: { req: Request; res: { headers: Headers } }) => Promise<{ user?: RouteUser } | null>)({
      req,
      res: { headers: new Headers() },
    }),
  );
  const user = session?.user;
  return user?.id ? { id: user.id, isPlatformAdmin: user.isPlatformAdmin === true } : null;
};
