"""Issues as Wagtail pages: archive, issue page, feeds, hostile content, moderation."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Workflow

from newsletter.emails import render_issue
from newsletter.models import NewsletterIssuePage
from portal.pages.models import HomePage

HOSTILE = (
    '<p>Ciao<script>alert("x")</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">clic</a><iframe src="https://evil.example"></iframe></p>'
)


@pytest.mark.django_db
def test_the_archive_lives_under_the_home_page_with_its_own_url(newsletter_index):
    assert newsletter_index.get_parent().specific.__class__ is HomePage
    assert newsletter_index.url == "/newsletter/"
    assert newsletter_index.live


@pytest.mark.django_db
def test_the_archive_lists_published_issues_only_in_bounded_queries(
    client, issue_factory, django_assert_max_num_queries
):
    """Guards against one query per issue in the archive listing."""
    for month in range(1, 9):
        issue_factory(title=f"Numero {month}", slug=f"numero-{month}", number=month)
    issue_factory(title="Bozza segreta", slug="bozza", publish=False)
    with django_assert_max_num_queries(20):
        response = client.get("/newsletter/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Numero 8" in content and "Numero 1" in content
    assert "Bozza segreta" not in content
    assert "Iscriviti alla newsletter" in content
    assert 'type="application/rss+xml"' in content


@pytest.mark.django_db
def test_an_issue_page_shows_its_blocks(client, issue, article, django_assert_max_num_queries):
    """Guards against per-block queries growing with the issue."""
    issue.body = list(issue.body.raw_data) + [
        {"type": "focus_article", "value": {"page": article.pk, "summary": ""}},
    ]
    issue.save_revision().publish()
    with django_assert_max_num_queries(25):
        response = client.get(issue.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Newsletter di novembre</h1>" in content
    assert "Il PIAO in 90 giorni" in content
    assert "Dagli enti — Comune di Giugliano in Campania" in content
    assert article.title in content and article.url in content


@pytest.mark.django_db
def test_hostile_block_content_is_neutralised_on_the_web_and_in_the_email(client, issue_factory):
    issue = issue_factory(
        body=[
            ("editorial", {"title": "<b>Titolo</b>", "text": HOSTILE, "signature": ""}),
            (
                "from_bodies",
                {"ente": '"><script>x()</script>', "title": "T", "text": HOSTILE, "url": ""},
            ),
        ]
    )
    page = client.get(issue.url).content.decode()
    _subject, html, text = render_issue(issue)
    for output in (page, html):
        assert "<script>alert" not in output
        assert "<script>x()" not in output
        assert "onerror" not in output
        assert "javascript:" not in output
        assert "<iframe" not in output
        assert "&lt;b&gt;Titolo&lt;/b&gt;" in output
    # Plain text is never interpreted: the hostile markup is just characters there.
    assert "Ciaoalert" in text.replace("\n", "")


@pytest.mark.django_db
def test_rss_and_atom_feeds_list_published_issues(client, issue_factory):
    issue_factory(title="Numero di ottobre", slug="ottobre-2026")
    issue_factory(title="Bozza", slug="bozza", publish=False)
    rss = client.get("/newsletter/feed/rss/")
    atom = client.get("/newsletter/feed/atom/")
    assert rss.status_code == 200 and atom.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for feed in (rss, atom):
        body = feed.content.decode()
        assert "Numero di ottobre" in body
        assert "http://testserver/newsletter/ottobre-2026/" in body
        assert "Bozza" not in body


@pytest.mark.django_db
def test_issue_slugs_cannot_take_the_apps_own_paths(newsletter_index):
    issue = NewsletterIssuePage(title="X", slug="iscrizione", issue_date="2026-11-01")
    issue.set_url_path(newsletter_index)
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "slug" in error.value.message_dict


@pytest.mark.django_db
def test_a_subject_on_two_lines_is_refused(newsletter_index):
    issue = NewsletterIssuePage(
        title="X", slug="x", issue_date="2026-11-01", subject="Oggetto\r\nBcc: a@b.it"
    )
    issue.set_url_path(newsletter_index)
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "subject" in error.value.message_dict


@pytest.mark.django_db
def test_reserved_documents_cannot_go_in_an_issue(area_factory):
    from django.core.files.base import ContentFile

    from newsletter.blocks import DocumentsBlock
    from portal.pages.models import PortalDocument
    from tests.factories import EnteFactory

    area = area_factory(ente=EnteFactory())
    secret = PortalDocument.objects.create(
        title="Verbale riservato",
        collection=area.collection,
        file=ContentFile(b"riservato", name="verbale.txt"),
    )
    block = DocumentsBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Documenti", "documents": [secret.pk]}))


@pytest.mark.django_db
def test_submitting_an_issue_goes_through_the_moderators_workflow(issue_factory, editor):
    draft = issue_factory(title="Numero da approvare", slug="da-approvare", publish=False)
    workflow = draft.get_workflow()
    assert workflow is not None
    assert workflow == Workflow.objects.get(name="Moderators approval")
    assert not draft.permissions_for_user(editor).can_publish()
    workflow.start(draft, editor)
    draft.refresh_from_db()
    assert draft.workflow_in_progress
    assert not draft.live
    assert draft.current_workflow_task.name == "Moderators approval"


@pytest.mark.django_db
def test_editors_preview_the_email_in_the_page_preview(issue, editor):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = editor
    html = issue.serve_preview(request, "email")
    text = issue.serve_preview(request, "testo")
    assert html.status_code == 200
    assert "Il PIAO in 90 giorni" in html.content.decode()
    assert text["Content-Type"].startswith("text/plain")
    assert "IL PIAO IN 90 GIORNI" in text.content.decode()


@pytest.mark.django_db
def test_the_feed_reads_a_bounded_number_of_queries(
    client, issue_factory, django_assert_max_num_queries
):
    """Guards against one query per feed item (URLs, dates)."""
    for month in range(1, 11):
        issue_factory(title=f"Numero {month}", slug=f"numero-{month}")
    client.get("/newsletter/feed/rss/")  # the site's root paths are cached from now on
    with django_assert_max_num_queries(6):
        response = client.get("/newsletter/feed/atom/")
    assert response.content.decode().count("<entry>") == 10


@pytest.mark.django_db
def test_the_preferences_page_reads_a_bounded_number_of_queries(
    client, subscriber_factory, django_assert_max_num_queries
):
    """Guards against per-region queries on the preferences form (the base template's
    site, menu and settings reads make most of the budget)."""
    from tests.factories import RegionFactory

    for code in ("CAL", "CAM", "PUG", "SIC"):
        RegionFactory(code=code)
    subscriber = subscriber_factory()
    with django_assert_max_num_queries(12):
        response = client.get(f"/newsletter/preferenze/{subscriber.token}/")
    assert response.status_code == 200
    assert "Sicilia" in response.content.decode()


@pytest.mark.django_db
def test_editors_find_the_newsletter_in_the_admin_menu_and_participants_do_not(
    client, editor, staff
):
    client.force_login(editor)
    menu = client.get("/admin/").content.decode()
    assert "Calendario editoriale" in menu and "Piano editoriale" in menu
    assert "/admin/newsletter/iscritti/" not in menu  # subscribers are staff's
    client.force_login(staff)
    assert "/admin/newsletter/iscritti/" in client.get("/admin/").content.decode()
