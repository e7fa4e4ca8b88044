from tests import factories


def test_register_then_live_page(
    client, session_factory, django_capture_on_commit_callbacks, mailoutbox
):
    session = session_factory()
    user = factories.UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/webinar/{session.pk}/iscrizione/")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].attachments[0][0] == "webinar.ics"
    assert client.get(session.url).status_code == 200
    response = client.get(f"/webinar/{session.pk}/diretta/")
    assert response.status_code == 200, response.content[:500]
    assert b"meet.example.it/segreto" in response.content
