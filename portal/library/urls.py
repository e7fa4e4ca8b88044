from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.databases_home, name="home"),
    path("documenti/", views.document_list, name="document_list"),
    path("documenti/confronta/", views.document_compare, name="document_compare"),
    path("documenti/<int:pk>/", views.document_detail, name="document_detail"),
    path("documenti/<int:pk>/file/", views.document_file, name="document_file"),
    path("buone-pratiche/", views.practice_list, name="practice_list"),
    path("buone-pratiche/<slug:slug>/", views.practice_detail, name="practice_detail"),
    path("risultati/", views.project_results, name="results"),
    path("dati-aperti/", views.opendata_index, name="opendata"),
    path("dati-aperti/<slug:dataset>.<str:fmt>", views.opendata_export, name="opendata_export"),
    path("api/<slug:dataset>/", views.api_list, name="api_list"),
    path(
        "biblioteca/<int:item_id>/file/<int:document_id>/",
        views.library_document,
        name="library_document",
    ),
    path("valutazione/<int:page_id>/", views.page_feedback, name="page_feedback"),
]
