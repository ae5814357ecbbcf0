"""A trigram index on the documents' lower-cased search text (PostgreSQL only), for the
part-of-word search (`search_text LIKE '%прайс%'`); SQLite scans, as before."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS franchise_document_search_text_trgm
    ON franchise_document USING gin (search_text gin_trgm_ops);
"""
BACKWARD = "DROP INDEX IF EXISTS franchise_document_search_text_trgm;"


def _postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: one simple-protocol batch

    return run


class Migration(migrations.Migration):
    dependencies = [("franchise", "0005_unit_inn_kpp")]

    operations = [migrations.RunPython(_postgres(FORWARD), _postgres(BACKWARD))]
