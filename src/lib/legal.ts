/**
 * The version and effective date of the Terms of Service and the Privacy Policy (issue 16).
 * Bump LEGAL_VERSION whenever either text changes; the version a user accepted is recorded at
 * sign-up (User.legalVersionAccepted). Safe for the client.
 */
export const LEGAL_VERSION = "2026-12-07";
export const LEGAL_EFFECTIVE_DATE = "2026-12-07";
