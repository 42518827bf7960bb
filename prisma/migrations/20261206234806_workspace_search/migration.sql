-- Issue 15, the workspace search of the command palette (src/server/services/search/).
-- One GIN index per searched text, on the simple text search configuration: no stemming and no
-- stopwords, so a word prefix matches as typed in any language. It ships with PostgreSQL and PGlite
-- alike (pg_trgm is a contrib extension the embedded default would have to load separately).
-- Expression indexes: schema.prisma cannot state them, so they live here only (like the tsv index
-- of DocumentChunk). Each query must repeat the exact expression (see services/search/sources.ts).

CREATE INDEX "Conversation_title_search_idx" ON "Conversation" USING GIN (to_tsvector('simple'::regconfig, "title"));

CREATE INDEX "Meeting_title_search_idx" ON "Meeting" USING GIN (to_tsvector('simple'::regconfig, "title"));

CREATE INDEX "MeetingOutcome_decision_search_idx" ON "MeetingOutcome" USING GIN (to_tsvector('simple'::regconfig, "decision"));

CREATE INDEX "ActionItem_description_search_idx" ON "ActionItem" USING GIN (to_tsvector('simple'::regconfig, "description"));

CREATE INDEX "Task_title_search_idx" ON "Task" USING GIN (to_tsvector('simple'::regconfig, "title"));

CREATE INDEX "Document_title_search_idx" ON "Document" USING GIN (to_tsvector('simple'::regconfig, "title"));
