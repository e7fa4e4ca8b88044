"""The forum over HTTP: browsing, writing, following, moderating, with bounded queries."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from forum.boards.models import (
    POSTS_PER_PAGE,
    ModerationLog,
    Notification,
    Post,
    PostRevision,
    Report,
    Subscription,
    Topic,
)
from forum.boards.services import post_reply
from forum.boards.tasks import send_forum_digests, unsubscribe_token

pytestmark = pytest.mark.django_db


def _many_posts(topic, authors, count):
    """Posts written straight to the table (the services are tested elsewhere)."""
    start = topic.last_number
    Post.objects.bulk_create(
        Post(
            topic=topic,
            number=start + i,
            author=authors[i % len(authors)],
            body=f"Messaggio {start + i}",
            body_html=f"<p>Messaggio {start + i}</p>",
        )
        for i in range(1, count + 1)
    )
    Topic.objects.filter(pk=topic.pk).update(last_number=start + count, post_count=start + count)
    topic.refresh_from_db()


def test_index_lists_public_boards_for_visitors_and_reserved_ones_for_members(
    client, login, area_board, member
):
    response = client.get(reverse("boards:index"))
    assert response.status_code == 200
    assert "Obiettivi e indicatori" in response.text
    assert area_board.title not in response.text
    login(member)
    assert area_board.title in client.get(reverse("boards:index")).text


def test_member_starts_a_topic_and_another_replies_and_is_notified(
    client, login, area_board, member, other_member, django_capture_on_commit_callbacks
):
    login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("boards:topic_create", args=[area_board.slug]),
            {"title": "Indicatori per gli asili nido", "body": "Quali *indicatori* usate?"},
        )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("boards:reply", args=[topic.pk]),
            {"body": "Noi usiamo il tasso di copertura, @anna.greco."},
        )
    assert response.status_code == 302
    notification = Notification.objects.get(user=member)
    assert notification.kind == "mention"
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    login(member)
    page = client.get(reverse("boards:notifications"))
    assert "Indicatori per gli asili nido" in page.text


def test_quote_prefills_the_reply(client, login, public_board, member, other_member, make_topic):
    topic = make_topic(public_board, member, body="Serve un target annuale?")
    login(other_member)
    response = client.get(reverse("boards:reply", args=[topic.pk]) + "?cita=1")
    assert "&gt; Serve un target annuale?" in response.text


def test_edit_history_is_for_moderators_only(client, login, area_board, member, expert, make_topic):
    topic = make_topic(area_board, member, body="Versione uno")
    post = topic.posts.get()
    login(member)
    client.post(reverse("boards:post_edit", args=[post.pk]), {"body": "Versione due"})
    assert PostRevision.objects.filter(post=post, body="Versione uno").exists()
    assert client.get(reverse("boards:post_history", args=[post.pk])).status_code == 403
    login(expert)
    history = client.get(reverse("boards:post_history", args=[post.pk]))
    assert history.status_code == 200 and "Versione uno" in history.text


def test_editing_someone_elses_post_is_refused(
    client, login, public_board, member, other_member, make_topic
):
    topic = make_topic(public_board, member, body="Originale")
    post = topic.posts.get()
    login(other_member)
    response = client.post(reverse("boards:post_edit", args=[post.pk]), {"body": "Cambiato"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "Originale"


def test_posting_to_a_locked_topic_changes_nothing(
    client, login, area_board, member, other_member, expert, make_topic
):
    topic = make_topic(area_board, member)
    login(expert)
    client.post(reverse("boards:topic_moderate", args=[topic.pk]), {"azione": "lock"})
    login(other_member)
    response = client.post(reverse("boards:reply", args=[topic.pk]), {"body": "Ancora io"})
    assert response.status_code == 302
    assert topic.posts.count() == 1
    assert ModerationLog.objects.filter(action="lock", actor=expert).exists()


def test_member_replaying_a_moderator_form_gets_403(
    client, login, area_board, member, other_member, make_topic
):
    topic = make_topic(area_board, member)
    post = topic.posts.get()
    login(other_member)
    for action in ("pin", "lock", "hide_topic", "delete_topic"):
        response = client.post(
            reverse("boards:topic_moderate", args=[topic.pk]), {"azione": action}
        )
        assert response.status_code == 403
    response = client.post(reverse("boards:post_moderate", args=[post.pk]), {"azione": "hide_post"})
    assert response.status_code == 403
    topic.refresh_from_db()
    assert not (topic.pinned or topic.locked or topic.hidden)
    assert not ModerationLog.objects.exists()


def test_moderator_hides_a_post_and_members_see_a_placeholder(
    client, login, area_board, member, other_member, expert, make_topic
):
    topic = make_topic(area_board, member)
    reply = post_reply(topic=topic, author=other_member, body="Testo inopportuno Zafferano")
    login(expert)
    client.post(reverse("boards:post_moderate", args=[reply.pk]), {"azione": "hide_post"})
    assert "Zafferano" in client.get(topic.get_absolute_url()).text
    login(member)
    page = client.get(topic.get_absolute_url()).text
    assert "Zafferano" not in page and "nascosto da un moderatore" in page


def test_reports_reach_the_moderators_and_are_logged_when_closed(
    client, login, area_board, member, other_member, expert, make_topic
):
    topic = make_topic(area_board, member)
    reply = post_reply(topic=topic, author=other_member, body="Messaggio da segnalare")
    login(member)
    client.post(reverse("boards:post_report", args=[reply.pk]), {"reason": "Dati personali"})
    report = Report.objects.get()
    assert client.get(reverse("boards:moderation")).status_code == 403
    login(expert)
    assert "Dati personali" in client.get(reverse("boards:moderation")).text
    client.post(reverse("boards:report_resolve", args=[report.pk]), {"nota": "Rimossi"})
    report.refresh_from_db()
    assert report.resolved_by == expert
    assert ModerationLog.objects.filter(action="resolve_report", detail="Rimossi").exists()


def test_move_needs_moderation_rights_on_both_boards(
    client, login, area_board, public_board, member, expert, staff_user, make_topic
):
    topic = make_topic(area_board, member)
    login(expert)  # moderates the area board and, as an expert, the public ones
    response = client.post(
        reverse("boards:topic_moderate", args=[topic.pk]),
        {"azione": "move", "board": public_board.slug},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.board == public_board
    area_board.refresh_from_db()
    public_board.refresh_from_db()
    assert (area_board.topic_count, public_board.topic_count) == (0, 1)


def test_unsubscribe_link_asks_on_get_and_acts_on_post(public_board, member, make_topic, client):
    topic = make_topic(public_board, member)
    assert Subscription.objects.filter(user=member, topic=topic).exists()
    url = reverse("boards:unsubscribe", args=[unsubscribe_token(member.pk, topic.pk)])
    assert client.get(url).status_code == 200
    assert Subscription.objects.filter(user=member, topic=topic).exists()
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.filter(user=member, topic=topic).exists()
    forged = reverse("boards:unsubscribe", args=["forgiato:123"])
    assert client.post(forged).status_code == 400


def test_digest_mode_sends_one_summary_instead_of_one_email_per_post(
    client,
    login,
    public_board,
    member,
    other_member,
    make_topic,
    django_capture_on_commit_callbacks,
):
    topic = make_topic(public_board, member)
    login(member)
    client.post(reverse("boards:notifications"), {"email_mode": "daily"})
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            post_reply(topic=topic, author=other_member, body=f"Risposta {i}")
    assert mail.outbox == []
    assert Notification.objects.filter(user=member).count() == 3
    assert send_forum_digests.call() == 1
    assert len(mail.outbox) == 1 and "3 novità" in mail.outbox[0].subject
    assert send_forum_digests.call() == 0


def test_expert_only_filter_and_search(client, public_board, member, expert, make_topic):
    answered = make_topic(public_board, member, title="Target per la raccolta differenziata")
    make_topic(public_board, member, title="Target per il servizio idrico")
    reply = post_reply(topic=answered, author=expert, body="Usate la percentuale di differenziata")
    from forum.boards.services import post_recommend

    post_recommend(post=reply, user=expert, recommended=True)
    page = client.get(public_board.get_absolute_url() + "?risposta_esperto=1").text
    assert "raccolta differenziata" in page and "servizio idrico" not in page
    results = client.get(reverse("boards:search"), {"q": "Target", "esperto": "on"}).text
    assert "raccolta differenziata" in results and "servizio idrico" not in results


def test_search_never_shows_other_bodies_topics(
    client, login, area_board, member, outsider, make_topic
):
    make_topic(area_board, member, title="Bilancio riservato Cardamomo")
    login(outsider)
    page = client.get(reverse("boards:search"), {"q": "Cardamomo"}).text
    assert "Bilancio riservato" not in page and "0 risultati" in page
    login(member)
    assert "Bilancio riservato" in client.get(reverse("boards:search"), {"q": "Cardamomo"}).text


def test_unread_markers_follow_what_the_user_has_read(
    client, login, public_board, member, other_member, make_topic
):
    topic = make_topic(public_board, member, title="Discussione da leggere")
    login(other_member)
    assert "non letta" in client.get(public_board.get_absolute_url()).text
    client.get(topic.get_absolute_url())
    assert "non letta" not in client.get(public_board.get_absolute_url()).text
    post_reply(topic=topic, author=member, body="Novità")
    assert "non letta" in client.get(public_board.get_absolute_url()).text
    client.post(reverse("boards:board_read", args=[public_board.slug]))
    assert "non letta" not in client.get(public_board.get_absolute_url()).text


# --- Query counts --------------------------------------------------------------------------


@pytest.fixture
def long_topic(public_board, member, other_member, make_topic):
    topic = make_topic(public_board, member)
    _many_posts(topic, [member, other_member], POSTS_PER_PAGE * 6)
    return topic


def _queries_for(client, url, django_assert_max_num_queries, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert len(context) <= limit, "\n".join(q["sql"][:150] for q in context.captured_queries)
    return len(context)


def test_topic_pages_cost_the_same_queries_first_middle_last(
    client, login, long_topic, other_member, django_assert_max_num_queries
):
    """Guards against per-post queries (authors, attachments) and OFFSET paging.

    Of a logged-in page's queries, 5-6 are the layout's (site, settings, menu, areas), 7
    the session, the user and what the access policy reads about them once per request
    (groups, memberships, assignments, regional roles, teams); the forum's own are the
    topic, its page of posts and, when the user reads further than before, one write."""
    url = long_topic.get_absolute_url()
    client.get(url)  # the first request of a process reads the site's settings once
    anonymous = {
        page: _queries_for(client, f"{url}?pagina={page}", django_assert_max_num_queries, 10)
        for page in ("1", "4", "ultima")
    }
    assert len(set(anonymous.values())) == 1
    login(other_member)
    client.get(long_topic.board.get_absolute_url())  # the layout's per-user reads, once
    first_reads = {
        page: _queries_for(client, f"{url}?pagina={page}", django_assert_max_num_queries, 16)
        for page in ("1", "4", "ultima")
    }
    assert len(set(first_reads.values())) == 1
    rereads = {
        page: _queries_for(client, f"{url}?pagina={page}", django_assert_max_num_queries, 15)
        for page in ("1", "4", "ultima")
    }
    assert len(set(rereads.values())) == 1
    assert rereads["1"] == first_reads["1"] - 1


def test_board_page_queries_do_not_grow_with_topics(
    client, login, public_board, member, make_topic, django_assert_max_num_queries
):
    """Guards against per-topic queries for authors, unread state or last poster.
    (Layout 5-6, session/user/policy 7, forum: board, count, page of topics.)"""
    for i in range(3):
        make_topic(public_board, member, title=f"Discussione numero {i}")
    login(member)
    client.get(public_board.get_absolute_url())  # the site's settings are read once
    few = _queries_for(client, public_board.get_absolute_url(), django_assert_max_num_queries, 16)
    for i in range(3, 25):
        make_topic(public_board, member, title=f"Discussione numero {i}")
    many = _queries_for(client, public_board.get_absolute_url(), django_assert_max_num_queries, 16)
    assert few == many


def test_index_queries_are_bounded(
    client, login, member, area_board, django_assert_max_num_queries
):
    login(member)
    client.get(reverse("boards:index"))
    _queries_for(client, reverse("boards:index"), django_assert_max_num_queries, 14)


def test_last_page_shows_the_last_posts(client, long_topic):
    page = client.get(long_topic.get_absolute_url() + "?pagina=ultima").text
    numbers = [int(n) for n in re.findall(r'id="messaggio-(\d+)"', page)]
    assert numbers[-1] == long_topic.last_number
    assert len(numbers) == (long_topic.last_number - 1) % POSTS_PER_PAGE + 1


def test_editor_proposes_a_public_thread_for_the_library(
    client, login, public_board, area_board, member, make_topic
):
    from tests.factories import UserFactory

    editor = UserFactory(groups=["Editors"])
    topic = make_topic(public_board, member, title="Buona pratica sugli indicatori")
    login(member)
    assert client.post(reverse("boards:topic_promote", args=[topic.pk])).status_code == 403
    assert client.get(reverse("boards:library_proposals")).status_code == 403
    login(editor)
    client.post(reverse("boards:topic_promote", args=[topic.pk]), {"note": "Da sintetizzare"})
    listing = client.get(reverse("boards:library_proposals")).text
    assert "Buona pratica sugli indicatori" in listing and "Da sintetizzare" in listing
    assert ModerationLog.objects.filter(action="promote", topic=topic).exists()
    reserved = make_topic(area_board, member, title="Discussione riservata")
    assert client.post(reverse("boards:topic_promote", args=[reserved.pk])).status_code == 403


def test_writing_too_fast_is_refused_with_a_message(
    client, login, public_board, member, make_topic, settings
):
    settings.PORTAL_FORUM_RATE_LIMIT_POSTS = 2
    topic = make_topic(public_board, member)  # services called by other apps: no limit
    login(member)
    for i in range(2):
        client.post(reverse("boards:reply", args=[topic.pk]), {"body": f"Risposta {i}"})
    response = client.post(reverse("boards:reply", args=[topic.pk]), {"body": "Ancora"})
    assert response.status_code == 400 and "troppo in fretta" in response.text
    assert topic.posts.count() == 3


def test_moderator_deletes_a_topic_and_the_log_keeps_its_title(
    client, login, area_board, member, expert, make_topic
):
    topic = make_topic(area_board, member, title="Discussione da eliminare")
    login(expert)
    response = client.post(
        reverse("boards:topic_moderate", args=[topic.pk]), {"azione": "delete_topic"}
    )
    assert response.status_code == 302 and response.url == area_board.get_absolute_url()
    assert not Topic.objects.filter(pk=topic.pk).exists()
    area_board.refresh_from_db()
    assert (area_board.topic_count, area_board.post_count, area_board.last_topic) == (0, 0, None)
    entry = ModerationLog.objects.get(action="delete_topic")
    assert entry.topic_title == "Discussione da eliminare" and entry.topic is None
    assert "Discussione da eliminare" in client.get(reverse("boards:moderation")).text


def test_forum_digest_command_sends_the_digests(public_board, member, other_member, make_topic):
    from django.core.management import call_command

    from forum.boards.services import preference_set

    topic = make_topic(public_board, member)
    preference_set(user=member, email_mode="daily")
    from forum.boards.tasks import notify_post

    reply = post_reply(topic=topic, author=other_member, body="Novità")
    notify_post.call(post_id=reply.pk)
    call_command("forum_digest", stdout=__import__("io").StringIO())
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Smetti di seguire questa discussione" in mail.outbox[0].body


def test_visitors_pages_come_from_the_cache_until_the_forum_changes(
    client, public_board, member, other_member, make_topic, django_assert_num_queries
):
    topic = make_topic(public_board, member)
    url = topic.get_absolute_url()
    client.get(reverse("boards:search"))  # the site's settings row is created once
    assert "X-Cache" not in client.get(url)
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert hit["X-Cache"] == "hit"
    post_reply(topic=topic, author=other_member, body="Risposta appena scritta Tamarindo")
    fresh = client.get(url)
    assert "X-Cache" not in fresh and "Tamarindo" in fresh.text
    client.cookies["qualcosa"] = "1"  # any cookie: never served from or stored in the cache
    assert "X-Cache" not in client.get(url)


def test_notification_list_queries_do_not_grow_with_notifications(
    client,
    login,
    area_board,
    member,
    other_member,
    make_topic,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    """Guards against a query per notification when each is asked about again."""
    topic = make_topic(area_board, member)
    login(member)
    client.get(reverse("boards:notifications"))
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(topic=topic, author=other_member, body="Prima")
    few = _queries_for(client, reverse("boards:notifications"), None, 20)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(8):
            post_reply(topic=topic, author=other_member, body=f"Altra {i}")
    many = _queries_for(client, reverse("boards:notifications"), None, 20)
    assert few == many
