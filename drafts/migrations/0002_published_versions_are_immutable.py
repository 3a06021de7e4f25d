"""PostgreSQL refuses any change to a published version, even by SQL that bypasses the services.

The services already refuse (drafts.services._ensure_editable); these triggers make the
guarantee hold for scripts, shells and future bugs too. The only change allowed to a
published version is its status moving to "superseded". SQLite (the embedded demo) relies
on the services alone.
"""
from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION drafts_version_is_frozen(version bigint) RETURNS boolean AS $$
    SELECT status <> 'preparing' FROM drafts_draftversion WHERE id = version;
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION drafts_provision_guard() RETURNS trigger AS $$
BEGIN
    IF (TG_OP <> 'INSERT' AND drafts_version_is_frozen(OLD.version_id))
       OR (TG_OP <> 'DELETE' AND drafts_version_is_frozen(NEW.version_id)) THEN
        RAISE EXCEPTION 'provisions of a published version cannot be changed (% on drafts_provision)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION drafts_provisiontext_guard() RETURNS trigger AS $$
DECLARE
    frozen boolean;
BEGIN
    SELECT bool_or(drafts_version_is_frozen(p.version_id)) INTO frozen
      FROM drafts_provision p
     WHERE p.id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.provision_id END,
                    CASE WHEN TG_OP <> 'DELETE' THEN NEW.provision_id END);
    IF frozen THEN
        RAISE EXCEPTION 'texts of a published version cannot be changed (% on drafts_provisiontext)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION drafts_draftversion_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'preparing' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a published version cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status = 'preparing'
       OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
       OR (NEW.document_id, NEW.number, NEW.label, NEW.languages, NEW.content_hash, NEW.published_at, NEW.published_by_id)
          IS DISTINCT FROM
          (OLD.document_id, OLD.number, OLD.label, OLD.languages, OLD.content_hash, OLD.published_at, OLD.published_by_id) THEN
        RAISE EXCEPTION 'a published version cannot be changed; only its status may move to superseded'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER drafts_provision_immutable BEFORE INSERT OR UPDATE OR DELETE ON drafts_provision
    FOR EACH ROW EXECUTE FUNCTION drafts_provision_guard();
CREATE TRIGGER drafts_provisiontext_immutable BEFORE INSERT OR UPDATE OR DELETE ON drafts_provisiontext
    FOR EACH ROW EXECUTE FUNCTION drafts_provisiontext_guard();
CREATE TRIGGER drafts_draftversion_immutable BEFORE UPDATE OR DELETE ON drafts_draftversion
    FOR EACH ROW EXECUTE FUNCTION drafts_draftversion_guard();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS drafts_provision_immutable ON drafts_provision;
DROP TRIGGER IF EXISTS drafts_provisiontext_immutable ON drafts_provisiontext;
DROP TRIGGER IF EXISTS drafts_draftversion_immutable ON drafts_draftversion;
DROP FUNCTION IF EXISTS drafts_provision_guard();
DROP FUNCTION IF EXISTS drafts_provisiontext_guard();
DROP FUNCTION IF EXISTS drafts_draftversion_guard();
DROP FUNCTION IF EXISTS drafts_version_is_frozen(bigint);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("drafts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
