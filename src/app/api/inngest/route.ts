import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { functions } from "../../../../inngest/functions";
import { inngest } from "~/server/events/client";

// The serve endpoint: GET introspection, PUT sync, POST call requests (from
// Inngest Cloud / Dev Server, or the local executor in the embedded default,
// which signs them: scripts/lib/jobs-env.mjs). In cloud mode the SDK refuses
// unsigned PUT and POST itself.
const handler = serve({ client: inngest, functions });

export const { POST, PUT } = handler;

/**
 * Unsigned, the SDK's cloud-mode introspection still tells anyone the mode, the
 * number of functions and whether keys are set. Only a caller whose signature
 * the SDK accepted (authentication_succeeded) gets its answer; everyone else an
 * empty object. Dev mode (an Inngest Dev Server on a developer's machine) already
 * trusts every caller and keeps the SDK's answer.
 */
export const GET = async (req: NextRequest, ctx: unknown): Promise<Response> => {
  const res = await handler.GET(req, ctx);
  if (inngest.mode === "dev") return res;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { authentication_succeeded?: boolean } | null;
  if (body?.authentication_succeeded === true) return res;
  return Response.json({}, { status: res.status, headers: { "cache-control": "no-store" } });
};
