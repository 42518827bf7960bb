-- Titles, decisions and action items are sealed under each workspace's content key (ADR 0015), so the
-- command palette can no longer index their text: each table gets the app's blind word-prefix tokens
-- ("searchIndex", src/server/db/search-index.ts) and a generated tsvector of them with a GIN index,
-- replacing the expression indexes of 20261206234806_workspace_search. Rows written before this have
-- no tokens until `npm run content:seal` seals them (they are not found by the palette until then).

DROP INDEX IF EXISTS "Conversation_title_search_idx";
ALTER TABLE "Conversation" ADD COLUMN "searchIndex" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "searchTsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "Conversation_searchTsv_idx" ON "Conversation" USING GIN ("searchTsv");

DROP INDEX IF EXISTS "Document_title_search_idx";
ALTER TABLE "Document" ADD COLUMN "searchIndex" TEXT;
ALTER TABLE "Document" ADD COLUMN "searchTsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "Document_searchTsv_idx" ON "Document" USING GIN ("searchTsv");

DROP INDEX IF EXISTS "Meeting_title_search_idx";
ALTER TABLE "Meeting" ADD COLUMN "searchIndex" TEXT;
ALTER TABLE "Meeting" ADD COLUMN "searchTsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "Meeting_searchTsv_idx" ON "Meeting" USING GIN ("searchTsv");

DROP INDEX IF EXISTS "MeetingOutcome_decision_search_idx";
ALTER TABLE "MeetingOutcome" ADD COLUMN "searchIndex" TEXT;
ALTER TABLE "MeetingOutcome" ADD COLUMN "searchTsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "MeetingOutcome_searchTsv_idx" ON "MeetingOutcome" USING GIN ("searchTsv");

DROP INDEX IF EXISTS "ActionItem_description_search_idx";
ALTER TABLE "ActionItem" ADD COLUMN "searchIndex" TEXT;
ALTER TABLE "ActionItem" ADD COLUMN "searchTsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "ActionItem_searchTsv_idx" ON "ActionItem" USING GIN ("searchTsv");

DROP INDEX IF EXISTS "Task_title_search_idx";
ALTER TABLE "Task" ADD COLUMN "searchIndex" TEXT;
ALTER TABLE "Task" ADD COLUMN "searchTsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "Task_searchTsv_idx" ON "Task" USING GIN ("searchTsv");
