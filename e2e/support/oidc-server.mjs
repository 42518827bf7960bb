// A real OpenID Connect provider (the `oidc-provider` package) for the SSO
// tests. Its development login page accepts any login; the login is used as
// the user's email claim.
import Provider from "oidc-provider";

export const OIDC_CLIENT = { id: "ocsuite-e2e", secret: "ocsuite-e2e-client-secret-0123456789" };

export const startOidcServer = async ({ port, appUrl }) => {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id.toLowerCase(), email_verified: true, name: `SSO ${id.split("@")[0]}` }),
    }),
    features: { devInteractions: { enabled: true } },
    // Put the requested claims (email) in the ID token, as Okta, Entra ID,
    // Google and Keycloak do; Auth.js builds the profile from the ID token.
    conformIdTokenClaims: false,
    cookies: { keys: ["e2e-cookie-key-not-secret"] },
  });
  provider.proxy = true;
  const server = provider.listen(port, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { issuer, close: () => new Promise((r) => server.close(r)) };
};
