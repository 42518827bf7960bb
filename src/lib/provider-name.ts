// In lib, not features/providers: the personas editor and the providers page
// name providers too, and features do not import each other.

/** The providers a credential can be for (mirrors the server's list; the server validates). */
export const PROVIDER_OPTIONS = ["openai", "anthropic", "openai-compatible"] as const;
export type ProviderOption = (typeof PROVIDER_OPTIONS)[number];

/** Message key under providers.providerNames (next-intl keys avoid "-"). */
export const providerNameKey = (p: ProviderOption) => (p === "openai-compatible" ? "openaiCompatible" : p);
