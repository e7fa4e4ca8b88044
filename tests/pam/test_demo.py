"""The demo holds a believable PAM for the showcase body, and loading twice adds nothing."""

from django.urls import reverse

from portal.demo.loader import DemoLoader
from portal.pam.models import (
    CycleDocument,
    ExpertReview,
    ImprovementPlan,
    Measurement,
    SelfAssessment,
)


def test_demo_pam_rows_are_believable_and_idempotent(client, db):
    DemoLoader(log=lambda message: None).run()
    plans = ImprovementPlan.objects.filter(ente__slug="giugliano-in-campania")
    assert {p.service_area for p in plans} == {"rifiuti", "infanzia_anziani"}
    assert SelfAssessment.objects.filter(ente__slug="giugliano-in-campania").count() == 2
    assert Measurement.objects.filter(indicator__plan__in=plans).count() > 20
    assert ExpertReview.objects.filter(plan__in=plans).exists()
    assert CycleDocument.objects.filter(ente__slug="giugliano-in-campania").count() == 9
    assert ImprovementPlan.objects.exclude(ente__slug="giugliano-in-campania").exists()

    counts = (ImprovementPlan.objects.count(), Measurement.objects.count())
    assert DemoLoader(log=lambda message: None).run() == 0
    assert (ImprovementPlan.objects.count(), Measurement.objects.count()) == counts

    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email="staff@paq.example.it"))
    board = client.get(reverse("pam:board"))
    assert "Comune di Giugliano in Campania" in board.content.decode()
    plan = plans.get(service_area="rifiuti")
    client.force_login(get_user_model().objects.get(email="membro@paq.example.it"))
    assert client.get(reverse("pam:plan", args=[plan.pk])).status_code == 200


def test_a_demo_assessment_completed_late_in_the_evening_is_found_again(db):
    """At 23:30 UTC it is already tomorrow in Rome: the loader must still recognise the
    assessment it wrote, whatever hour it runs."""
    import datetime
    from types import SimpleNamespace

    from portal.pam.demo import LEVELS_NOW, _assessment
    from tests.factories import EnteFactory, UserFactory

    loader = SimpleNamespace(created=0)
    ente, user = EnteFactory(), UserFactory()
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)

    first = _assessment(loader, ente, user, late, LEVELS_NOW)
    again = _assessment(loader, ente, user, late + datetime.timedelta(seconds=5), LEVELS_NOW)

    assert again == first
    assert loader.created == 1
    assert SelfAssessment.objects.filter(ente=ente).count() == 1
