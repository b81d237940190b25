"""Forget three apps nothing used: Wagtail's form pages and embeds, and Django's own admin.

Their tables and content types stay behind in databases made before, and the migration
history still lists them: both are removed here, so that the database matches the code
(and an app added back later starts from a clean slate). Nothing in them was ever written
by this project: the site has no form page, no embed, and no Django admin URL.
"""

from django.db import migrations

UNUSED_APPS = ("wagtailforms", "wagtailembeds", "admin")
UNUSED_TABLES = ("wagtailforms_formsubmission", "wagtailembeds_embed", "django_admin_log")


def forget_unused_apps(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Their permissions and any group grant go with the content types (cascade).
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label__in=UNUSED_APPS
    ).delete()
    quote = schema_editor.quote_name
    for table in UNUSED_TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {quote(table)}")
    placeholders = ", ".join(["%s"] * len(UNUSED_APPS))
    schema_editor.execute(
        f"DELETE FROM django_migrations WHERE app IN ({placeholders})", UNUSED_APPS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0003_module_steps"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forget_unused_apps, migrations.RunPython.noop)]
