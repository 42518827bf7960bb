-- Document text is sealed under each workspace's content key (ADR 0015), so the full-text index can
-- no longer be computed from "text": it is the blind tsvector the app writes in "searchIndex"
-- (PostgreSQL's own lexemes, positions and weights, each lexeme replaced by a keyed token).
ALTER TABLE "DocumentChunk" ADD COLUMN "searchIndex" TEXT;

-- Rows written before this keep their plaintext lexemes here until `npm run content:seal` seals
-- them and writes their blind index, and until then they do not match blinded queries.
UPDATE "DocumentChunk" SET "searchIndex" = (setweight(to_tsvector('english'::regconfig, coalesce("heading", '')), 'A') || setweight(to_tsvector('english'::regconfig, "text"), 'B'))::text;

DROP INDEX IF EXISTS "DocumentChunk_tsv_idx";
ALTER TABLE "DocumentChunk" DROP COLUMN "tsv";
ALTER TABLE "DocumentChunk" ADD COLUMN "tsv" tsvector GENERATED ALWAYS AS ("searchIndex"::tsvector) STORED;
CREATE INDEX "DocumentChunk_tsv_idx" ON "DocumentChunk" USING GIN ("tsv");
