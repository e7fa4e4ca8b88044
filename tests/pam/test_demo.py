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
