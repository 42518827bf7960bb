/**
 * The session cookie Auth.js would have set at sign-in: a JWT naming a real
 * Session row, so route handlers under test go through the real jwt callback.
 */
import { encode } from "next-auth/jwt";
import { createSession, type FactoryUser } from "../../prisma/factories";

export const sessionCookieFor = async (user: FactoryUser) => {
  const { sessionToken } = await createSession(user.id);
  const jwt = await encode({ token: { sub: user.id, sid: sessionToken, email: user.email }, secret: process.env.AUTH_SECRET!, salt: "authjs.session-token" });
  return `authjs.session-token=${jwt}`;
};
