from django.db import migrations


def refresh_search_names(apps, schema_editor):
    """Communes added or renamed in the back office kept an empty or former search name (the
    form has no such field, and nothing refreshed it): the search did not find them by name,
    and the map's list put them first."""
    from mediation.text import normalize_for_search

    Commune = apps.get_model("mediation", "Commune")
    stale = []
    for commune in Commune.objects.only("name", "search_name"):
        search_name = normalize_for_search(commune.name)
        if commune.search_name != search_name:
            commune.search_name = search_name
            stale.append(commune)
    Commune.objects.bulk_update(stale, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0013_stop_not_cancelled_commune_index"),
    ]

    operations = [
        migrations.RunPython(refresh_search_names, migrations.RunPython.noop),
    ]
