from django.urls import path

from . import views

app_name = "webinar"

urlpatterns = [
    path("calendario.ics", views.programme_ics, name="programme_ics"),
    path("i-miei-webinar/", views.my_webinars, name="mine"),
    path("<int:session_id>/evento.ics", views.session_ics, name="session_ics"),
    path("<int:session_id>/iscrizione/", views.register, name="register"),
    path("<int:session_id>/annulla-iscrizione/", views.cancel, name="cancel"),
    path("<int:session_id>/diretta/", views.live, name="live"),
    path("<int:session_id>/diretta/stato/", views.live_state, name="live_state"),
    path("<int:session_id>/diretta/domande/", views.ask, name="ask"),
    path("<int:session_id>/diretta/domande/<int:question_id>/voto/", views.vote, name="vote"),
    path(
        "<int:session_id>/diretta/domande/<int:question_id>/risposta/",
        views.answered,
        name="answered",
    ),
    path("<int:session_id>/diretta/domande/<int:question_id>/nascondi/", views.hide, name="hide"),
    path("<int:session_id>/diretta/materiale/", views.share, name="share"),
    path("<int:session_id>/diretta/al-forum/", views.questions_to_forum, name="to_forum"),
    path("<int:session_id>/questionario/", views.questionnaire, name="questionnaire"),
    path("<int:session_id>/attestato.pdf", views.certificate, name="certificate"),
    path("<int:session_id>/resoconto/", views.report, name="report"),
    path(
        "<int:session_id>/resoconto/iscritti.<str:fmt>",
        views.report_export,
        name="report_export",
    ),
    path("<int:session_id>/resoconto/follow-up/", views.follow_up, name="follow_up"),
]
