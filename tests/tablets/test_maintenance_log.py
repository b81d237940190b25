import pytest
from django.urls import reverse

from tablets.models import MaintenanceRecord
from tests.factories import make_coordinator, make_mediator

pytestmark = pytest.mark.django_db


def test_a_coordinator_logs_a_repair_with_its_cost_and_who_wrote_it(client, tablet):
    coordinator = make_coordinator()
    client.force_login(coordinator)

    response = client.post(
        reverse("tablet_maintenance:add"),
        {
            "tablet": tablet.pk,
            "reported_on": "2026-11-02",
            "problem": "Port de charge cassé",
            "repair": "Port remplacé",
            "cost": "45.50",
            "repaired_on": "2026-11-10",
        },
    )

    assert response.status_code == 302
    record = MaintenanceRecord.objects.get()
    assert (record.tablet, str(record.cost), record.recorded_by) == (tablet, "45.50", coordinator)
    detail = client.get(reverse("tablets_admin:detail", args=[tablet.pk]))
    assert "Port de charge cassé" in detail.content.decode()


def test_a_mediator_reads_the_maintenance_log_but_cannot_write_it(client, tablet):
    MaintenanceRecord.objects.create(tablet=tablet, problem="Écran fissuré")
    client.force_login(make_mediator())

    assert client.get(reverse("tablet_maintenance:index")).status_code == 200
    response = client.post(reverse("tablet_maintenance:add"), {"tablet": tablet.pk, "problem": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert MaintenanceRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"cost": "-45.50"}, "cost"), ({"repaired_on": "2026-10-30"}, "repaired_on")],
)
def test_a_repair_that_cannot_be_is_refused_next_to_its_field(client, tablet, changes, field):
    """A cost below zero (a typed minus) or a repair before the breakdown was reported would
    spoil the fleet's costs and history: Claire is told beside the field, and keeps her text."""
    client.force_login(make_coordinator())
    entry = {
        "tablet": tablet.pk,
        "reported_on": "2026-11-02",
        "problem": "Port de charge cassé",
        "repair": "Port remplacé",
        "cost": "45.50",
        "repaired_on": "2026-11-10",
    }

    response = client.post(reverse("tablet_maintenance:add"), entry | changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Port de charge cassé" in response.content.decode()
    assert not MaintenanceRecord.objects.exists()
