from django.db import migrations

FTS = "search_fts"


def create_fts(apps, schema_editor):
    """On SQLite, the embedded default engine's FTS5 table (search.engines.Fts5Engine)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
        "title, body, exact, suggest, tokenize = 'unicode61 remove_diacritics 0')"
    )


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create_fts, drop_fts)]
