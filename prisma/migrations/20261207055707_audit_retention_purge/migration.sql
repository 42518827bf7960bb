-- Retention of audit events (issue 16): the append-only trigger on AuditEvent now lets a DELETE
-- through when the deleting transaction set ocsuite.audit_retention_purge to on (set_config with
-- is_local true). Only the retention purge and the workspace purge do that
-- (src/server/services/privacy/audit-prefix.ts), after recording on the chain an anchor with the
-- seq and hash of the last purged event, so verification starts from that anchor.
-- UPDATE stays refused always. Hand-written like the trigger itself (init migration): the body is
-- an E-string with \073 escapes because the script runner splits on every semicolon.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS
E'BEGIN IF TG_OP = ''DELETE'' AND current_setting(''ocsuite.audit_retention_purge'', true) = ''on'' THEN RETURN OLD\073 END IF\073 RAISE EXCEPTION ''AuditEvent is append-only (% rejected)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END\073';
