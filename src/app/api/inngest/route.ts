import { serve } from "inngest/next";
import { functions } from "../../../../inngest/functions";
import { inngest } from "~/server/events/client";

// The serve endpoint: GET introspection, PUT sync, POST call requests (from
// Inngest Cloud / Dev Server, or the local executor in the embedded default).
export const { GET, POST, PUT } = serve({ client: inngest, functions });
