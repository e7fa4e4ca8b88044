"""Editors' screens in the Wagtail admin: who may do what, plan and calendar, automatic
draft, send panel and progress, subscriber export."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from newsletter.models import (
    ArticleKind,
    IssueSend,
    NewsletterIssuePage,
    PlannedArticle,
    PlannedIssue,
    SendStatus,
    SubscriberStatus,
)
from tests.factories import RegionFactory

ADMIN_PAGES = [
    "/admin/newsletter/calendario/",
    "/admin/newsletter/invii/",
    "/admin/newsletter/piano/",
]


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_editors_open_the_newsletter_screens_and_participants_cannot(
    as_user, editor, participant, path
):
    assert as_user(editor).get(path).status_code == 200
    response = as_user(participant).get(path)
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_subscribers_and_their_export_are_for_staff_only(
    as_user, editor, moderator, staff, subscriber_factory
):
    subscriber_factory()
    for user in (editor, moderator):
        client = as_user(user)
        assert client.get("/admin/newsletter/iscritti/").status_code in (302, 403)
        # Wagtail's admin answers a denial with a redirect to its dashboard.
        denied = client.get("/admin/newsletter/iscritti.csv")
        assert denied.status_code in (302, 403)
        assert "text/csv" not in denied.get("Content-Type", "")
    client = as_user(staff)
    assert client.get("/admin/newsletter/iscritti/").status_code == 200
    assert client.get("/admin/newsletter/iscritti.csv").status_code == 200


@pytest.mark.django_db
def test_the_export_holds_only_consenting_confirmed_subscribers_and_no_formulas(
    as_user, staff, subscriber_factory
):
    region = RegionFactory(code="SIC")
    kept = subscriber_factory(email="=cmd@comune.example.it")
    kept.regions.add(region)
    subscriber_factory(email="attesa@comune.example.it", status=SubscriberStatus.PENDING)
    subscriber_factory(email="uscito@comune.example.it", status=SubscriberStatus.UNSUBSCRIBED)
    response = as_user(staff).get("/admin/newsletter/iscritti.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["email", "iscritto il", "consenso dato il", "regioni di interesse"]
    assert len(rows) == 2
    assert rows[1][0] == "'=cmd@comune.example.it"
    assert rows[1][3] == "Sicilia"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_the_calendar_shows_plans_issues_articles_and_late_items_in_bounded_queries(
    as_user, editor, issue_factory, article, django_assert_max_num_queries
):
    """Guards against one query per plan, article or issue in the calendar."""
    this_month = timezone.localdate().replace(day=1)
    for offset in range(3):
        month = (this_month + timedelta(days=32 * offset)).replace(day=1)
        plan = PlannedIssue.objects.create(
            month=month,
            theme=f"Tema {offset}",
            deadline=month - timedelta(days=3),
            owner=editor,
        )
        for n in range(3):
            PlannedArticle.objects.create(
                plan=plan,
                title=f"Articolo {offset}-{n}",
                kind=ArticleKind.FOCUS,
                deadline=month + timedelta(days=n),
                owner=editor,
            )
    issue_factory(issue_date=this_month, slug="questo-mese")
    client = as_user(editor)
    with django_assert_max_num_queries(40):
        response = client.get(f"/admin/newsletter/calendario/?da={this_month:%Y-%m}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tema 0" in content and "Tema 2" in content
    assert "Articolo 1-2" in content
    assert "Newsletter di novembre" in content or "questo-mese" in content
    assert article.title in content
    assert "In ritardo" in content  # plan 0's deadline is past


@pytest.mark.django_db
def test_late_items_are_the_ones_past_deadline_and_not_done():
    today = timezone.localdate()
    plan = PlannedIssue.objects.create(
        month=today.replace(day=1), theme="Tema", deadline=today - timedelta(days=1)
    )
    done = PlannedArticle.objects.create(
        plan=plan,
        title="Fatto",
        kind=ArticleKind.NEWS,
        deadline=today - timedelta(days=2),
        status="consegnato",
    )
    late = PlannedArticle.objects.create(
        plan=plan, title="In ritardo", kind=ArticleKind.NEWS, deadline=today - timedelta(days=2)
    )
    assert plan.is_late
    assert list(PlannedArticle.objects.late()) == [late]
    assert not done.is_late


@pytest.mark.django_db
def test_a_draft_is_built_from_the_months_activity(as_user, editor, article):
    month = timezone.localdate().replace(day=1)
    PlannedIssue.objects.create(
        month=month, theme="Il monitoraggio intermedio", deadline=month + timedelta(days=20)
    )
    response = as_user(editor).post("/admin/newsletter/bozza/", {"month": f"{month:%Y-%m}"})
    assert response.status_code == 302
    draft = NewsletterIssuePage.objects.get()
    assert response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert not draft.live
    kinds = [block.block_type for block in draft.get_latest_revision_as_object().body]
    assert kinds[0] == "editorial"
    assert "focus_article" in kinds
    assert PlannedIssue.objects.get().issue_id == draft.pk


@pytest.mark.django_db
def test_participants_cannot_draft_issues(as_user, participant):
    month = timezone.localdate().replace(day=1)
    response = as_user(participant).post("/admin/newsletter/bozza/", {"month": f"{month:%Y-%m}"})
    assert response.status_code in (302, 403)
    assert not NewsletterIssuePage.objects.exists()


@pytest.mark.django_db
def test_the_send_panel_previews_and_sends_a_test_to_the_editor(as_user, editor, issue):
    client = as_user(editor)
    page = client.get(f"/admin/newsletter/numero/{issue.pk}/invio/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "Il PIAO in 90 giorni" in content  # HTML preview (in the iframe) and text
    assert "IL PIAO IN 90 GIORNI" in content
    assert "spetta ai moderatori" in content  # editors cannot send to subscribers
    response = client.post(f"/admin/newsletter/numero/{issue.pk}/invio/", {"azione": "prova"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[editor.email]]
    refused = client.post(f"/admin/newsletter/numero/{issue.pk}/invio/", {"azione": "invia"})
    assert refused.status_code in (302, 403)
    assert not IssueSend.objects.exists()


@pytest.mark.django_db
def test_a_moderator_sends_and_follows_the_progress(
    as_user, moderator, issue, subscriber_factory, django_assert_max_num_queries
):
    for _n in range(3):
        subscriber_factory()
    client = as_user(moderator)
    response = client.post(
        f"/admin/newsletter/numero/{issue.pk}/invio/", {"azione": "invia", "when": ""}
    )
    send = IssueSend.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/newsletter/invii/{send.pk}/"
    assert send.status == SendStatus.DONE
    with django_assert_max_num_queries(30):
        detail = client.get(f"/admin/newsletter/invii/{send.pk}/")
    content = detail.content.decode()
    assert "Destinatari</th><td>3" in content
    assert "Inviati</th><td>3" in content
    listing = client.get("/admin/newsletter/invii/")
    assert issue.title in listing.content.decode()


@pytest.mark.django_db
def test_a_past_date_is_refused_with_a_message(as_user, moderator, issue):
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(moderator).post(
        f"/admin/newsletter/numero/{issue.pk}/invio/", {"azione": "invia", "when": past}
    )
    assert response.status_code == 400
    assert "già passata" in response.content.decode()
    assert not IssueSend.objects.exists()


@pytest.mark.django_db
def test_the_issue_page_header_links_to_the_send_panel(as_user, editor, issue):
    response = as_user(editor).get(f"/admin/pages/{issue.pk}/edit/")
    assert response.status_code == 200
    assert f"/admin/newsletter/numero/{issue.pk}/invio/" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_loads_issues_plan_and_subscribers_and_is_idempotent(editor):
    """Only the newsletter's own demo rows (the whole demo is tested in tests/portal)."""
    from types import SimpleNamespace

    from newsletter.demo import load

    first, second = SimpleNamespace(created=0), SimpleNamespace(created=0)
    load(first)
    load(second)
    assert first.created > 0
    assert second.created == 0
    assert NewsletterIssuePage.objects.live().count() == 2
    assert PlannedIssue.objects.count() >= 3
    assert PlannedArticle.objects.late().exists()
    assert IssueSend.objects.filter(status=SendStatus.DONE).exists()


@pytest.mark.django_db
def test_staff_cannot_activate_a_subscriber_who_never_confirmed(as_user, staff, subscriber_factory):
    pending = subscriber_factory(
        email="mai.confermato@comune.example.it", status=SubscriberStatus.PENDING
    )
    response = as_user(staff).post(
        f"/admin/newsletter/iscritti/edit/{pending.pk}/", {"status": SubscriberStatus.ACTIVE}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "solo confermando" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == SubscriberStatus.PENDING
