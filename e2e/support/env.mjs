// Ports and settings shared by the e2e server (serve.mjs) and the tests.
export const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3901);
export const APP_URL = `http://localhost:${APP_PORT}`;
// The suite signs in many times from one address; the per-IP test uses its own
// forwarded address and this lower bound.
export const E2E_SIGNIN_IP_LIMIT = 40;
export const E2E_SIGNIN_ACCOUNT_LIMIT = 5;
export const E2E_METRICS_TOKEN = "e2e-metrics-token-0123456789";
