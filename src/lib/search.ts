// The command palette's search result types, shared by the search service (which
// returns them in this order) and the palette (which groups and labels them).

export const SEARCH_KINDS = ["conversation", "meeting", "decision", "actionItem", "task", "document", "passage", "persona", "member"] as const;
export type TSearchKind = (typeof SEARCH_KINDS)[number];

/** What selecting a hit opens (the palette turns it into a workspace path). */
export const SEARCH_TARGETS = ["conversation", "meeting", "task", "document", "persona", "members"] as const;
export type TSearchTarget = (typeof SEARCH_TARGETS)[number];

/** Longest query the search accepts. */
export const MAX_SEARCH_QUERY = 200;
