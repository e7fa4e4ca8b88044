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


def test_shared_post_fragments_never_hide_a_change_or_another_readers_buttons(
    client, login, area_board, member, other_member, expert, make_topic
):
    """A post's reader-independent part is cached (forum/boards/fragments.py) under a key
    made of what it prints: edits, moderation and renamed authors show at once, and each
    reader still gets their own buttons, badges and view of hidden posts."""
    topic = make_topic(area_board, member, body="Prima versione Cardamomo")
    reply = post_reply(topic=topic, author=other_member, body="Risposta di Paolo")
    url = topic.get_absolute_url()

    login(member)
    page = client.get(url).text
    assert "Prima versione Cardamomo" in page
    edit = reverse("boards:post_edit", args=[topic.posts.get(number=1).pk])
    assert edit in page  # their own post
    assert reverse("boards:post_edit", args=[reply.pk]) not in page
    assert reverse("boards:post_report", args=[reply.pk]) in page
    assert "cronologia" not in page

    client.post(edit, {"body": "Seconda versione Zenzero"})
    other_member.first_name = "Paolino"
    other_member.save()
    page = client.get(url).text
    assert "Seconda versione Zenzero" in page and "Cardamomo" not in page
    assert "Paolino Lupo" in page

    login(expert)
    page = client.get(url).text
    assert reverse("boards:post_recommend", args=[reply.pk]) in page
    assert reverse("boards:post_moderate", args=[reply.pk]) in page
    client.post(reverse("boards:post_moderate", args=[reply.pk]), {"azione": "hide_post"})
    page = client.get(url).text
    assert reverse("boards:post_recommend", args=[reply.pk]) not in page
    assert "cronologia" in page  # moderators see the edit history link
    assert "Risposta di Paolo" in page and "nascosto: lo vedono solo i moderatori" in page

    login(member)
    page = client.get(url).text
    assert "Risposta di Paolo" not in page and "Messaggio nascosto da un moderatore" in page
    assert "cronologia" not in page


def test_new_posts_are_marked_for_each_reader(
    client, login, public_board, member, other_member, make_topic
):
    topic = make_topic(public_board, member, body="Domanda")
    login(other_member)
    client.get(topic.get_absolute_url())  # read up to post 1
    post_reply(topic=topic, author=member, body="Aggiunta di Anna")
    new_badge = '<span class="badge bg-primary ms-1">nuovo</span>'
    assert client.get(topic.get_absolute_url()).text.count(new_badge) == 1
    assert client.get(topic.get_absolute_url()).text.count(new_badge) == 0  # now read
    login(member)
    assert client.get(topic.get_absolute_url()).text.count(new_badge) == 0  # first visit


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


def test_the_author_of_a_post_in_a_locked_topic_gets_no_edit_button(
    client, login, public_board, member, make_topic
):
    topic = make_topic(public_board, member, body="Messaggio che non si cambia")
    edit = reverse("boards:post_edit", args=[topic.posts.get(number=1).pk])
    login(member)
    assert edit in client.get(topic.get_absolute_url()).text

    topic.locked = True
    topic.save(update_fields=["locked"])

    assert edit not in client.get(topic.get_absolute_url()).text


# --- Query counts --------------------------------------------------------------------------


@pytest.fixture
def long_topic(public_board, member, other_member, make_topic):
    topic = make_topic(public_board, member)
    _many_posts(topic, [member, other_member], POSTS_PER_PAGE * 6)
    return topic


def _queries_for(client, url, django_assert_max_num_queries=None, limit=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    if limit is not None:
        assert len(context) <= limit, "\n".join(q["sql"][:150] for q in context.captured_queries)
    return len(context)


def _exact_queries(client, url, expected):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert len(context) == expected, "\n".join(q["sql"][:150] for q in context.captured_queries)


# What a logged-in member's page costs before the forum reads anything: the session, the
# user and the access policy's scope (groups, memberships, expert assignments, regional
# roles and task teams in one query), once per request. The site's frame (menu, footer
# links) costs nothing once cached for the page generation
# (portal/pages/context_processors.py).
MEMBER_BASE_QUERIES = 3


def test_topic_pages_cost_the_same_queries_first_middle_last(
    client, login, long_topic, other_member
):
    """Guards against per-post queries (authors, attachments), OFFSET paging and the
    layout's reads. The forum's own queries are the topic (with the reader's follow and
    read state) and its page of posts; a page read further than before writes the read
    state once."""
    url = long_topic.get_absolute_url()
    client.cookies["visita"] = "1"  # a visitor whose pages are rendered, not cached
    client.get(url)  # the frame is read once per page generation
    for page in ("1", "4", "ultima"):
        _exact_queries(client, f"{url}?pagina={page}", 2)
    login(other_member)
    for page in ("1", "4", "ultima"):
        _exact_queries(client, f"{url}?pagina={page}", MEMBER_BASE_QUERIES + 3)
    for page in ("1", "4", "ultima"):
        _exact_queries(client, f"{url}?pagina={page}", MEMBER_BASE_QUERIES + 2)


def test_reserved_board_pages_cost_the_same_queries_for_members_and_moderators(
    client, login, area_board, member, other_member, expert, make_topic
):
    """On an area's board the policy reads nothing more about the area (it comes with
    the topic); a moderator's page adds the boards they may move the topic to (their
    areas, then the boards)."""
    topic = make_topic(area_board, member)
    _many_posts(topic, [member, other_member], POSTS_PER_PAGE * 3)
    url = topic.get_absolute_url()
    for user, expected in (
        (other_member, MEMBER_BASE_QUERIES + 2),
        (expert, MEMBER_BASE_QUERIES + 4),
    ):
        login(user)
        for page in ("1", "2", "ultima"):
            client.get(f"{url}?pagina={page}")  # the first read of each page writes it
            _exact_queries(client, f"{url}?pagina={page}", expected)
    _exact_queries(client, area_board.get_absolute_url(), MEMBER_BASE_QUERIES + 3)


def test_board_page_queries_do_not_grow_with_topics(
    client, login, public_board, member, make_topic
):
    """Guards against per-topic queries for authors, unread state or last poster. The
    forum's own: the board (with the follow state), the count and the page of topics."""
    for i in range(3):
        make_topic(public_board, member, title=f"Discussione numero {i}")
    url = public_board.get_absolute_url()
    client.cookies["visita"] = "1"  # a visitor whose page is rendered, not cached
    client.get(url)
    _exact_queries(client, url, 3)
    login(member)
    _exact_queries(client, url, MEMBER_BASE_QUERIES + 3)
    for i in range(3, 35):
        make_topic(public_board, member, title=f"Discussione numero {i}")
    _exact_queries(client, url, MEMBER_BASE_QUERIES + 3)
    _exact_queries(client, f"{url}?pagina=2", MEMBER_BASE_QUERIES + 3)


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


def test_the_frame_around_forum_pages_follows_what_is_published(client, login, member):
    """The menu and the footer's links are cached per page generation: a publish or a
    settings change shows on the next page, for visitors and members alike."""
    from portal.pages.models import ContentPage, HomePage, PortalSettings

    url = reverse("boards:search")
    client.cookies["visita"] = "1"
    assert "Pagina Rosmarino" not in client.get(url).text
    page = ContentPage(
        title="Pagina Rosmarino", slug="rosmarino", intro="Prova.", show_in_menus=True
    )
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    portal_settings = PortalSettings.load()
    portal_settings.privacy_page = page
    portal_settings.save()
    html = client.get(url).text
    assert '<a class="nav-link" href="/rosmarino/"><span>Pagina Rosmarino</span></a>' in html
    assert '<a href="/rosmarino/">Privacy</a>' in html
    login(member)
    assert 'href="/rosmarino/"><span>Pagina Rosmarino</span>' in client.get(url).text


def test_board_rows_are_shared_but_unread_marks_are_each_readers(
    client, login, public_board, member, other_member, expert, make_topic
):
    """A board row's shared part is cached (forum/boards/fragments.py): a pin or a new
    reply shows at once, and whether a topic is unread stays each reader's own."""
    topic = make_topic(public_board, member, title="Discussione Lavanda")
    url = public_board.get_absolute_url()
    login(member)
    client.get(topic.get_absolute_url())
    assert "non letta" not in client.get(url).text
    login(other_member)
    assert "non letta" in client.get(url).text
    login(expert)
    client.post(reverse("boards:topic_moderate", args=[topic.pk]), {"azione": "pin"})
    post_reply(topic=topic, author=other_member, body="Risposta")
    login(member)
    page = client.get(url).text
    assert "in evidenza" in page and "non letta" in page
    assert '<td class="text-end">1</td>' in page  # one reply


def test_a_recommended_answer_names_its_expert_with_one_more_query(
    client, login, public_board, member, other_member, expert, make_topic
):
    from forum.boards.services import post_recommend

    topic = make_topic(public_board, member)
    reply = post_reply(topic=topic, author=other_member, body="Risposta da consigliare")
    url = topic.get_absolute_url()
    client.cookies["visita"] = "1"
    client.get(url)
    _exact_queries(client, url, 2)
    post_recommend(post=reply, user=expert, recommended=True)
    _exact_queries(client, url, 3)  # the recommending expert's name
    assert "Risposta consigliata da Giulia Ferraro" in client.get(url).text
