import pytest

from forum.boards.models import Board, Post, Topic
from portal.demo.loader import SHOWCASE_ENTE_SLUG, DemoLoader

pytestmark = pytest.mark.django_db


def test_demo_has_forum_threads_an_expert_answer_and_a_reserved_topic():
    DemoLoader(log=lambda _msg: None).run()
    assert Topic.objects.filter(board__kind="public").count() >= 3
    answered = Topic.objects.get(has_expert_answer=True)
    assert answered.posts.filter(recommended_at__isnull=False).exists()
    showcase = Board.objects.get(area__ente__slug=SHOWCASE_ENTE_SLUG)
    reserved = showcase.topics.get()
    assert reserved.assigned_to is not None and reserved.post_count == 3
    posts = Post.objects.count()
    DemoLoader(log=lambda _msg: None).run()
    assert Post.objects.count() == posts
