import { expect, type APIRequestContext } from "@playwright/test";
import { signInWithApi, trpc, uniqueEmail } from "./fixtures";

export const TEST_PASSWORD = "correct-horse-battery";

/** Creates an account over the public API and signs the request context in. */
export const signUpAndSignIn = async (request: APIRequestContext, prefix: string, name = "Test User") => {
  const email = uniqueEmail(prefix);
  const res = await trpc.mutation(request, "account.signUp", { email, name, password: TEST_PASSWORD, locale: "en" });
  expect(res.status(), await res.text()).toBe(200);
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
