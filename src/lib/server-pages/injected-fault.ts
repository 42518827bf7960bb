import "server-only";
import { headers } from "next/headers";
import { env } from "~/env";
import { isLoopbackAddress, peerAddressFrom } from "~/server/auth/request-meta";

// A server-page helper (see trpc-errors.ts for why these live in lib/server-pages).

/**
 * Test seam: e2e/tests/shell-resilience.spec.ts needs a page that fails to
 * show that a section's error boundary keeps the shell, and no real page fails
 * on demand. Only with E2E_PAGE_FAULTS on (the e2e server sets it; nothing else
 * does), only for requests from this machine judged by the socket address (as
 * the dev mailbox is), and only when the request asks for it with a header.
 */
export const throwInjectedPageFault = async (): Promise<void> => {
  if (!env.E2E_PAGE_FAULTS) return;
  const h = await headers();
  if (h.get("x-ocsuite-e2e-fault") !== "page" || !isLoopbackAddress(peerAddressFrom(h))) return;
  throw new Error("Injected page fault (E2E_PAGE_FAULTS)");
};
