"""The demo loader: a believable portal, and a second run that changes nothing."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from portal.enti.models import Ente, EnteKind, Membership, Region
from portal.pages.models import ContentPage, PortalSettings, ReservedAreaPage

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_demo_loads_once_and_a_second_run_changes_nothing(
    client, django_assert_max_num_queries
):
    call_command("load_demo", "--allow-without-debug", verbosity=0)
    first = row_counts()

    call_command("load_demo", "--allow-without-debug", verbosity=0)

    assert row_counts() == first
    assert set(Region.objects.values_list("name", flat=True)) == {
        "Calabria",
        "Campania",
        "Puglia",
        "Sicilia",
    }
    comuni = Ente.objects.filter(kind=EnteKind.COMUNE)
    assert comuni.count() == 45
    assert all(20_000 <= e.population <= 250_000 for e in comuni)
    assert Ente.objects.filter(kind=EnteKind.UNIVERSITA).exists()
    assert Ente.objects.filter(kind=EnteKind.CAPOLUOGO).exists()
    assert ReservedAreaPage.objects.filter(ente__isnull=False).count() == Ente.objects.count()
    assert Membership.objects.filter(role="referente").values("ente").distinct().count() == (
        Ente.objects.count()
    )
    assert ContentPage.objects.filter(slug="ciclo-della-performance").exists()
    assert PortalSettings.load().accessibility_page is not None

    home = client.get("/")
    html = home.content.decode()
    for text in ("Il progetto", "Dichiarazione di accessibilità", "Privacy", "Note legali"):
        assert text in html
    with django_assert_max_num_queries(12):
        client.get("/")
    with django_assert_max_num_queries(14):
        assert client.get("/ciclo-della-performance/").status_code == 200


def test_the_demo_refuses_to_run_outside_the_demo_profile(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=True"):
        call_command("load_demo", verbosity=0)
