from django.urls import path

from . import views

app_name = "boards"

urlpatterns = [
    path("", views.board_index, name="index"),
    path("cerca/", views.search, name="search"),
    path("notifiche/", views.notifications, name="notifications"),
    path("notifiche/<int:pk>/apri/", views.notification_open, name="notification_open"),
    path("moderazione/", views.moderation, name="moderation"),
    path("proposte-biblioteca/", views.library_proposals, name="library_proposals"),
    path(
        "moderazione/segnalazioni/<int:pk>/chiudi/",
        views.report_resolve,
        name="report_resolve",
    ),
    path("disiscriviti/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("bacheche/<slug:slug>/", views.board_detail, name="board"),
    path("bacheche/<slug:slug>/nuova-discussione/", views.topic_create, name="topic_create"),
    path("bacheche/<slug:slug>/segui/", views.board_follow, name="board_follow"),
    path("bacheche/<slug:slug>/segna-come-letta/", views.board_mark_read, name="board_read"),
    path("discussioni/<int:pk>/", views.topic_detail, name="topic"),
    path("discussioni/<int:pk>/rispondi/", views.topic_reply, name="reply"),
    path("discussioni/<int:pk>/segui/", views.topic_follow, name="topic_follow"),
    path("discussioni/<int:pk>/modera/", views.topic_moderate, name="topic_moderate"),
    path("discussioni/<int:pk>/proponi-biblioteca/", views.topic_promote, name="topic_promote"),
    path("messaggi/<int:pk>/", views.post_redirect, name="post"),
    path("messaggi/<int:pk>/modifica/", views.post_edit, name="post_edit"),
    path("messaggi/<int:pk>/cronologia/", views.post_history, name="post_history"),
    path("messaggi/<int:pk>/segnala/", views.post_report, name="post_report"),
    path("messaggi/<int:pk>/modera/", views.post_moderate, name="post_moderate"),
    path("messaggi/<int:pk>/consigliata/", views.post_recommend, name="post_recommend"),
    path("allegati/<int:pk>/<str:name>", views.attachment, name="attachment"),
]
