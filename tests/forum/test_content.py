"""What users write: Markdown through the one sanitizer, attachments, mentions."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum.boards.models import MAX_POST_LENGTH, Attachment, Post, Topic
from forum.boards.rendering import mentioned_handles, render_markdown
from forum.boards.services import post_reply, topic_start
from portal.sanitizer import ALLOWED_TAGS

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[dati](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">sopra tutto</div>',
    '<p style="background:url(javascript:alert(1))">css</p>',
    "<iframe src='https://evil.example'></iframe>",
    "<svg onload=alert(1)><b",
    "<b onmouseover=alert(1)>grassetto</b",
    "<<script>script>alert(1)<</script>/script>",
    "<form action=https://evil.example><input name=p></form>",
    "[x](vbscript:msgbox(1))",
    "<a href='https://ok.example' onclick='alert(1)'>ok</a>",
]


class _Markup(HTMLParser):
    """Collects the tags and attributes a browser would see (escaped text is text)."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _markup(html):
    parser = _Markup()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_never_reaches_the_page_as_markup(source):
    for tag, attrs in _markup(render_markdown(source)):
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= {"href", "title", "rel", "target"}, attrs
        if "href" in attrs:
            # mistune turns dangerous links into "#harmful-link"
            assert attrs["href"].startswith(("http://", "https://", "mailto:", "#")), attrs


def test_markdown_keeps_its_formatting_and_safe_links():
    html = render_markdown(
        "**grassetto** e *corsivo*\n\n- uno\n- due\n\n> citazione\n\n"
        "[guida](https://www.funzionepubblica.gov.it) `codice`"
    )
    assert "<strong>grassetto</strong>" in html and "<em>corsivo</em>" in html
    assert "<li>uno</li>" in html and "<blockquote>" in html and "<code>codice</code>" in html
    assert 'href="https://www.funzionepubblica.gov.it"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_stored_html_is_rendered_once_and_served_safe(client, public_board, member):
    topic = topic_start(
        board=public_board,
        author=member,
        title="Prova di sicurezza",
        body='<script>alert("x")</script> testo',
    )
    post = topic.posts.get()
    assert "<script" not in post.body_html
    page = client.get(topic.get_absolute_url()).text
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;" in page


def test_oversize_post_is_refused_with_a_message(client, login, public_board, member):
    login(member)
    response = client.post(
        reverse("boards:topic_create", args=[public_board.slug]),
        {"title": "Messaggio troppo lungo", "body": "x" * (MAX_POST_LENGTH + 1)},
    )
    assert response.status_code == 400
    assert "supera i" in response.text
    assert not Topic.objects.exists()


def test_empty_title_and_body_get_clear_messages(client, login, public_board, member):
    login(member)
    response = client.post(
        reverse("boards:topic_create", args=[public_board.slug]), {"title": "", "body": ""}
    )
    assert response.status_code == 400
    assert "Indica un titolo." in response.text and "Il messaggio è vuoto." in response.text


def _pdf(name="relazione.pdf", size=None):
    content = b"%PDF-1.4\n" + (b"0" * (size - 9) if size else b"contenuto")
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_attachment_is_stored_privately_and_served_by_the_view(
    client, login, area_board, member, settings
):
    login(member)
    client.post(
        reverse("boards:topic_create", args=[area_board.slug]),
        {"title": "Con allegato", "body": "Vedi il file", "files": [_pdf()]},
    )
    attachment = Attachment.objects.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("programma.pdf", b"MZ\x90\x00\x03", content_type="application/pdf"),
            "eseguibile",
        ),
        (
            SimpleUploadedFile(
                "script.exe", b"MZ\x90\x00", content_type="application/octet-stream"
            ),
            "Tipo di file non ammesso",
        ),
        (
            SimpleUploadedFile("finto.pdf", b"<html>ciao</html>", content_type="application/pdf"),
            "non è un PDF valido",
        ),
        (
            SimpleUploadedFile(
                "pagina.html", b"<script>alert(1)</script>", content_type="text/html"
            ),
            "Tipo di file non ammesso",
        ),
    ],
    ids=["disguised-executable", "exe", "fake-pdf", "html"],
)
def test_bad_attachments_are_refused_and_nothing_is_written(
    client, login, public_board, member, upload, message
):
    login(member)
    response = client.post(
        reverse("boards:topic_create", args=[public_board.slug]),
        {"title": "Allegato sospetto", "body": "Testo", "files": [upload]},
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Topic.objects.exists() and not Attachment.objects.exists()


def test_oversize_attachment_is_refused(client, login, public_board, member, settings):
    settings.PORTAL_FORUM_ATTACHMENT_MAX_BYTES = 1000
    login(member)
    response = client.post(
        reverse("boards:topic_create", args=[public_board.slug]),
        {"title": "Allegato grande", "body": "Testo", "files": [_pdf(size=2000)]},
    )
    assert response.status_code == 400
    assert "supera la dimensione massima" in response.text
    assert not Attachment.objects.exists()


def test_attachment_name_in_the_url_must_match(client, public_board, member):
    topic = topic_start(
        board=public_board, author=member, title="Allegato pubblico", body="x", files=[_pdf()]
    )
    attachment = Attachment.objects.get(post__topic=topic)
    url = reverse("boards:attachment", kwargs={"pk": attachment.pk, "name": "altro.pdf"})
    assert client.get(url).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_deleted_post_loses_its_attachments(public_board, member, expert):
    topic = topic_start(board=public_board, author=member, title="Allegato da togliere", body="x")
    reply = post_reply(topic=topic, author=member, body="file", files=[_pdf()])
    from forum.boards.services import post_moderate

    post_moderate(post=reply, user=expert, action="delete_post")
    reply.refresh_from_db()
    assert reply.is_deleted and reply.body == "" and not Attachment.objects.exists()
    assert Post.objects.filter(topic=topic).count() == 2  # numbers keep no gaps


def test_mentions_skip_code_and_quotes():
    text = "Ciao @anna.greco e @paolo.lupo!\n> @citato.qui\n`@nel.codice`\nmail a x@y.it"
    assert mentioned_handles(text) == ["anna.greco", "paolo.lupo"]


def test_too_many_files_are_refused(public_board, member):
    with pytest.raises(ValidationError):
        topic_start(
            board=public_board,
            author=member,
            title="Troppi allegati",
            body="x",
            files=[_pdf(f"f{i}.pdf") for i in range(6)],
        )
