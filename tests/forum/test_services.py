"""The forum's writes: topics and replies, counts, the service the webinar app calls."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.boards import selectors
from forum.boards.models import Board, BoardKind, Notification, NotificationKind, Post, Topic
from forum.boards.services import (
    board_for_area,
    post_edit,
    post_recommend,
    post_reply,
    topic_moderate,
    topic_start,
)

pytestmark = pytest.mark.django_db


def test_public_boards_are_the_thematic_boards_of_the_issue():
    titles = [b.title for b in selectors.public_boards()]
    assert titles[0] == "Obiettivi e indicatori"
    assert any("213/2012" in t for t in titles)
    assert any("Relazione sulla performance" in t for t in titles)
    assert any("asili nido" in t for t in titles)
    assert all(b.kind == BoardKind.PUBLIC for b in selectors.public_boards())


@pytest.mark.parametrize(
    ("theme", "slug"),
    [
        ("Indicatori di risultato", "obiettivi-e-indicatori"),
        ("controlli interni", "controlli-interni"),
        ("Relazione sulla performance 2025", "relazione-sulla-performance"),
        ("Servizi per gli anziani", "obiettivi-di-servizio"),
        ("qualcosa d'altro", "confronto-tra-enti"),
    ],
)
def test_board_for_theme_picks_the_public_board(theme, slug):
    assert selectors.board_for_theme(theme).slug == slug


def test_every_reserved_area_gets_its_board(area_factory, ente):
    area = area_factory(ente=ente)
    board = Board.objects.get(area=area)
    assert board.kind == BoardKind.AREA
    assert board_for_area(area) == board


def test_topic_start_as_the_webinar_app_calls_it(
    public_board, member, expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_start(
            board=public_board,
            author=member,
            title="Domanda dal webinar: target degli indicatori",
            body="Come si fissa un target **realistico**?",
            assigned_to=expert,
            origin_url="/webinar/sessioni/3/",
            origin_label="Webinar «Indicatori di performance»",
        )
    assert topic.assigned_to == expert
    first = topic.posts.get()
    assert first.number == 1
    assert "<strong>realistico</strong>" in first.body_html
    public_board.refresh_from_db()
    assert (public_board.topic_count, public_board.post_count) == (1, 1)
    assert public_board.last_topic == topic
    assigned = Notification.objects.get(user=expert)
    assert assigned.kind == NotificationKind.ASSIGNED


def test_topic_start_refuses_an_assignee_who_cannot_read_the_board(area_board, member, outsider):
    with pytest.raises(ValidationError):
        topic_start(
            board=area_board, author=member, title="Titolo lungo", body="x", assigned_to=outsider
        )
    assert not Topic.objects.exists()


def test_replies_are_numbered_and_counted(public_board, member, other_member, make_topic):
    topic = make_topic(public_board, member)
    replies = [post_reply(topic=topic, author=other_member, body=f"r{i}") for i in range(3)]
    assert [p.number for p in replies] == [2, 3, 4]
    topic.refresh_from_db()
    assert (topic.post_count, topic.last_number, topic.reply_count) == (4, 4, 3)
    assert topic.last_post_author == other_member
    public_board.refresh_from_db()
    assert public_board.post_count == 4


def test_outsider_cannot_post_in_a_reserved_board(area_board, outsider, member, make_topic):
    with pytest.raises(PermissionDenied):
        make_topic(area_board, outsider)
    topic = make_topic(area_board, member)
    with pytest.raises(PermissionDenied):
        post_reply(topic=topic, author=outsider, body="ciao")
    assert Post.objects.count() == 1


def test_locked_topic_takes_no_reply_but_its_moderator_may(
    area_board, member, other_member, expert, make_topic
):
    topic = make_topic(area_board, member)
    topic_moderate(topic=topic, user=expert, action="lock")
    with pytest.raises(ValidationError):
        post_reply(topic=topic, author=other_member, body="posso?")
    post_reply(topic=topic, author=expert, body="Chiudo con una sintesi.")
    assert topic.posts.count() == 2


def test_member_cannot_replay_a_moderator_action(area_board, member, make_topic):
    topic = make_topic(area_board, member)
    with pytest.raises(PermissionDenied):
        topic_moderate(topic=topic, user=member, action="pin")
    topic.refresh_from_db()
    assert not topic.pinned


def test_edit_keeps_history_and_only_the_author_edits(
    public_board, member, other_member, make_topic
):
    topic = make_topic(public_board, member, body="Prima versione")
    post = topic.posts.get()
    with pytest.raises(PermissionDenied):
        post_edit(post=post, user=other_member, body="Vandalismo")
    post_edit(post=post, user=member, body="Seconda versione")
    post.refresh_from_db()
    assert post.body == "Seconda versione" and post.edit_count == 1
    assert list(post.revisions.values_list("body", flat=True)) == ["Prima versione"]


def test_expert_recommends_an_answer_and_the_topic_is_flagged(
    area_board, member, other_member, expert, make_topic, django_capture_on_commit_callbacks
):
    topic = make_topic(area_board, member)
    reply = post_reply(topic=topic, author=other_member, body="Proposta")
    with pytest.raises(PermissionDenied):
        post_recommend(post=reply, user=member, recommended=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_recommend(post=reply, user=expert, recommended=True)
    topic.refresh_from_db()
    assert topic.has_expert_answer
    assert Notification.objects.filter(
        user=other_member, kind=NotificationKind.RECOMMENDED
    ).exists()
    post_recommend(post=reply, user=expert, recommended=False)
    topic.refresh_from_db()
    assert not topic.has_expert_answer
