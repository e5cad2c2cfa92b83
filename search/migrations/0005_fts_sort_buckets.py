from django.db import migrations

FTS = "search_fts"
BATCH = 2000


def retag(apps, schema_editor):
    """Every indexed entry's tags get its sort buckets (search.tags.bucket), rewritten in place."""
    if schema_editor.connection.vendor != "sqlite":
        return
    from search import tags

    entries = apps.get_model("search", "SearchEntry").objects.order_by("id")
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while batch := list(entries.filter(id__gt=last)[:BATCH]):
            cursor.executemany(f"UPDATE {FTS} SET tags = %s WHERE rowid = %s",
                               [(tags.for_entry(entry), entry.pk) for entry in batch])
            last = batch[-1].pk
        cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_entry_date_number_indexes")]
    operations = [migrations.RunPython(retag, migrations.RunPython.noop)]
