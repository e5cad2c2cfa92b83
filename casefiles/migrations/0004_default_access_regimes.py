from django.db import migrations

DEFAULTS = [("01", "Công khai", True), ("02", "Sử dụng có điều kiện", False), ("03", "Mật", False)]


def create_defaults(apps, schema_editor):
    AccessRegime = apps.get_model("casefiles", "AccessRegime")
    for ordinal, (code, name, public) in enumerate(DEFAULTS, start=1):
        AccessRegime.objects.get_or_create(code=code, defaults={"name": name, "public": public, "ordinal": ordinal})


class Migration(migrations.Migration):
    """The access regimes of the Circular 05/2025 code list; administrators may change the list."""

    dependencies = [("casefiles", "0003_file_plans_case_files")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
