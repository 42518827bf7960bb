import { handleDocumentDownload } from "~/server/http/documents-route";
import { sessionUserOf } from "~/server/http/session-user";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Downloads a document's stored original (as an attachment). See src/server/http/documents-route.ts. */
export const GET = async (req: Request, ctx: { params: Promise<{ tenantSlug: string; documentId: string }> }) => {
  const { tenantSlug, documentId } = await ctx.params;
  return handleDocumentDownload(req, tenantSlug, documentId, () => sessionUserOf(req));
};
