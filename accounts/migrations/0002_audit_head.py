from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("accounts", "AuditHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    """The audit chain's head row exists from the start, so appenders only ever lock it."""

    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
