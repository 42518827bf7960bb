import { z } from "zod";
import { SEARCH_KINDS, SEARCH_TARGETS } from "~/lib/search";
import { ZSearchInput } from "~/server/services/search/workspace-search";

export { ZSearchInput };

export const ZSearchOutput = z.object({
  hits: z.array(
    z.object({
      kind: z.enum(SEARCH_KINDS),
      id: z.string(),
      title: z.string(),
      excerpt: z.string().nullable(),
      target: z.object({ type: z.enum(SEARCH_TARGETS), id: z.string() }),
      passage: z.object({ text: z.string(), page: z.number().int().nullable(), heading: z.string().nullable() }).nullable(),
    }),
  ),
});
