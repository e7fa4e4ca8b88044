from django.urls import path

from . import views

app_name = "pam"

urlpatterns = [
    path("", views.board, name="board"),
    path("enti/<int:ente_id>/", views.ente_home, name="ente"),
    path("enti/<int:ente_id>/autodiagnosi/nuova/", views.assessment_new, name="assessment_new"),
    path("autodiagnosi/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("enti/<int:ente_id>/piani/nuovo/", views.plan_new, name="plan_new"),
    path("enti/<int:ente_id>/calendario/<int:year>/", views.calendar, name="calendar"),
    path(
        "enti/<int:ente_id>/calendario/<int:year>/prepara/",
        views.calendar_create,
        name="calendar_create",
    ),
    path("piani/<int:plan_id>/", views.plan_detail, name="plan"),
    path("piani/<int:plan_id>/modifica/", views.plan_edit, name="plan_edit"),
    path("piani/<int:plan_id>/storico/", views.plan_history, name="plan_history"),
    path("piani/<int:plan_id>/report.pdf", views.plan_pdf, name="plan_pdf"),
    path("piani/<int:plan_id>/azioni/nuova/", views.milestone_new, name="milestone_new"),
    path("azioni/<int:milestone_id>/modifica/", views.milestone_edit, name="milestone_edit"),
    path("piani/<int:plan_id>/indicatori/nuovo/", views.indicator_new, name="indicator_new"),
    path("indicatori/<int:indicator_id>/modifica/", views.indicator_edit, name="indicator_edit"),
    path(
        "indicatori/<int:indicator_id>/misurazioni/nuova/",
        views.measurement_new,
        name="measurement_new",
    ),
    path("piani/<int:plan_id>/monitoraggio/nuovo/", views.report_new, name="report_new"),
    path("piani/<int:plan_id>/commenti/nuovo/", views.review_new, name="review_new"),
    path("documenti/<int:document_id>/modifica/", views.document_edit, name="document_edit"),
    path("documenti/<int:document_id>/file/", views.document_file, name="document_file"),
    path("azioni/<int:milestone_id>/supporti/nuovo/", views.resource_new, name="resource_new"),
    path("supporti/<int:resource_id>/elimina/", views.resource_delete, name="resource_delete"),
    path("azioni/<int:milestone_id>/buona-pratica/", views.practice_new, name="practice_new"),
    path(
        "buone-pratiche/<int:proposal_id>/consenso/",
        views.practice_consent,
        name="practice_consent",
    ),
    path(
        "buone-pratiche/<int:proposal_id>/decisione/",
        views.practice_decide,
        name="practice_decide",
    ),
    path("buone-pratiche/", views.practices, name="practices"),
    path("esporta/piani.csv", views.export_csv, name="export_csv"),
    path("esporta/piani.xlsx", views.export_xlsx, name="export_xlsx"),
]
