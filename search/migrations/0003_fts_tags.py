from django.db import migrations

FTS = "search_fts"


def recreate_with_tags(apps, schema_editor):
    """FTS5 tables take no new column: the table is made again with `tags` (search.tags) and the
    index is refilled from the entries' records by `hoso search check` (or reindex)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5("
        "title, body, exact, suggest, tags, tokenize = 'unicode61 remove_diacritics 0')"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fts")]
    operations = [migrations.RunPython(recreate_with_tags, migrations.RunPython.noop)]
