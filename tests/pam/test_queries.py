"""Boards and plan pages read a fixed number of queries, however many rows they show."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.enti.models import ExpertAssignment
from portal.pam.models import CycleDocument, Measurement, Milestone
from tests.factories import EnteFactory

from .conftest import make_indicator, make_plan


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow_plan(plan, n):
    today = timezone.localdate()
    for i in range(n):
        Milestone.objects.create(
            plan=plan, title=f"Azione {i}", owner="U", due_date=today - datetime.timedelta(days=i)
        )
        indicator = make_indicator(plan, name=f"Indicatore {i}")
        Measurement.objects.bulk_create(
            Measurement(
                indicator=indicator, date=today - datetime.timedelta(days=d), value=Decimal(40 + d)
            )
            for d in range(1, 6)
        )


def test_plan_page_queries_do_not_grow_with_milestones_indicators_and_measurements(client, world):
    """Guards against a query per milestone, indicator or measurement on the plan page."""
    client.force_login(world.users["member_a"])
    url = reverse("pam:plan", args=[world.plan.pk])
    client.get(url)
    few = count_queries(client, url)
    grow_plan(world.plan, 6)
    many = count_queries(client, url)
    assert many == few
    assert few <= 25


def grow_project(expert, n):
    today = timezone.localdate()
    for i in range(n):
        ente = EnteFactory(name=f"Comune aggiunto {i}")
        ExpertAssignment.objects.create(expert=expert, ente=ente)
        plan = make_plan(ente, title=f"Piano {i}")
        Milestone.objects.create(
            plan=plan, title="In ritardo", owner="U", due_date=today - datetime.timedelta(days=2)
        )
        make_indicator(plan, off_target=True, latest_value=Decimal(36), latest_date=today)
        CycleDocument.objects.create(
            ente=ente, year=today.year, kind="dup", due_date=today + datetime.timedelta(days=9)
        )


def test_board_queries_do_not_grow_with_bodies(client, world):
    """Guards against a query per body (or per plan) on the experts' and staff board."""
    expert = world.users["expert_a"]
    client.force_login(expert)
    url = reverse("pam:board")
    client.get(url)
    few = count_queries(client, url)
    grow_project(expert, 8)
    many = count_queries(client, url)
    assert many == few
    assert few <= 25
    client.force_login(world.users["staff"])
    client.get(url)
    assert count_queries(client, url) <= 25


def test_body_page_queries_do_not_grow_with_plans(client, world):
    """Guards against a query per plan on the body's PAM page."""
    client.force_login(world.users["member_a"])
    url = reverse("pam:ente", args=[world.ente_a.pk])
    client.get(url)
    few = count_queries(client, url)
    for i in range(5):
        grow_plan(make_plan(world.ente_a, title=f"Altro {i}"), 1)
    assert count_queries(client, url) == few
