import { expect, type APIRequestContext } from "@playwright/test";
import { signInWithApi, trpc, uniqueEmail } from "./fixtures";

export const TEST_PASSWORD = "correct-horse-battery";

/**
 * The newest email-confirmation link mailed to `email`, read from the dev
 * mailbox page as a person would (newest mail first; the link follows the
 * recipient in each mail's card). A path, so it is opened on the test server.
 */
export const verificationLinkFor = async (request: APIRequestContext, email: string) => {
  const html = await (await request.get("/en/dev/mailbox")).text();
  const at = html.indexOf(email);
  expect(at, `no mail to ${email} in the dev mailbox`).toBeGreaterThanOrEqual(0);
  const m = /https?:\/\/[^/"\s]+(\/[a-z]{2}\/verify-email\?token=[A-Za-z0-9_-]+)/.exec(html.slice(at));
  expect(m, `no confirmation link for ${email}`).not.toBeNull();
  return m![1]!;
};

/** Creates an account over the public API, confirms the address through the mailed link, and signs the request context in. */
export const signUpAndSignIn = async (request: APIRequestContext, prefix: string, name = "Test User") => {
  const email = uniqueEmail(prefix);
  const res = await trpc.mutation(request, "account.signUp", { email, name, password: TEST_PASSWORD, locale: "en", acceptLegal: true });
  expect(res.status(), await res.text()).toBe(200);
  const verified = await request.get(await verificationLinkFor(request, email));
  expect(await verified.text()).toContain("Email address confirmed");
  const signIn = await signInWithApi(request, email, TEST_PASSWORD);
  expect(signIn.status()).toBe(200);
  return email;
};

/** A new workspace owned by the signed-in request context. */
export const createWorkspace = async (request: APIRequestContext, name: string) => {
  const res = await trpc.mutation(request, "tenant.create", { name });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).result.data.json as { slug: string; name: string };
};
