import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from portal import access

from . import opendata, selectors, services
from .filters import DocumentFilters, PracticeFilters
from .forms import FeedbackForm


def _library_url() -> str | None:
    index = selectors.library_index()
    return index.url if index is not None else None


def _deny(request):
    """Anonymous visitors are sent to log in; logged-in users who may not see get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _file_response(handle, filename: str, cache: str):
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


@require_GET
def databases_home(request):
    return render(
        request,
        "library/databases_home.html",
        {"library": selectors.library_index(), "datasets": opendata.datasets().values()},
    )


# --- Library files ---------------------------------------------------------------------


@require_GET
def library_document(request, item_id: int, document_id: int):
    try:
        item, document = access.access_library_document(request.user, item_id, document_id)
    except PermissionDenied:
        return _deny(request)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    public = access.can_view_library_item(None, item)
    return _file_response(
        handle,
        os.path.basename(document.file.name),
        "public, max-age=300" if public else "private, no-store",
    )


# --- Bodies' documents ----------------------------------------------------------------------


@require_GET
def document_list(request):
    filters = DocumentFilters.from_params(request.GET)
    page_obj = Paginator(selectors.cycle_documents(filters), 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "library/document_list.html",
        {
            "library_url": _library_url(),
            "filters": filters,
            "facets": selectors.document_facets(filters),
            "page_obj": page_obj,
            "query_items": filters.as_query_items(),
        },
    )


@require_GET
def document_detail(request, pk: int):
    try:
        document = access.access_public_cycle_document(request.user, pk)
    except PermissionDenied as error:
        # Private and unknown records look the same: there is nothing public here.
        raise Http404 from error
    validated = (
        selectors.cycle_documents_base()
        .filter(pk=document.pk)
        .filter(selectors.oiv_validated_expression())
        .exists()
    )
    return render(
        request, "library/document_detail.html", {"document": document, "oiv_validated": validated}
    )


@require_GET
def document_file(request, pk: int):
    try:
        document = access.access_public_cycle_document(request.user, pk)
    except PermissionDenied as error:
        raise Http404 from error
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return _file_response(handle, os.path.basename(document.file.name), "public, max-age=300")


@require_GET
def document_compare(request):
    raw = request.GET.getlist("enti")
    ids = [int(value) for value in raw if value.isascii() and value.isdigit() and len(value) < 10]
    if len(raw) != len(ids):
        messages.error(request, "Alcuni enti indicati non sono validi e sono stati ignorati.")
    if len(ids) > selectors.MAX_COMPARED:
        messages.warning(
            request, f"Si possono confrontare al massimo {selectors.MAX_COMPARED} enti alla volta."
        )
    year_raw = request.GET.get("anno", "")
    year = (
        int(year_raw) if year_raw.isascii() and year_raw.isdigit() and len(year_raw) == 4 else None
    )
    comparison = selectors.compare_enti(ids, year) if ids else None
    return render(
        request,
        "library/document_compare.html",
        {
            "comparison": comparison,
            "enti": selectors.comparable_enti(),
            "selected": set(ids[: selectors.MAX_COMPARED]),
        },
    )


# --- Good practices ------------------------------------------------------------------------


@require_GET
def practice_list(request):
    filters = PracticeFilters.from_params(request.GET)
    page_obj = Paginator(selectors.practices(request.user, filters), 20).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "library/practice_list.html",
        {
            "library_url": _library_url(),
            "filters": filters,
            "facets": selectors.practice_facets(request.user, filters),
            "page_obj": page_obj,
            "query_items": filters.as_query_items(),
        },
    )


@require_GET
def practice_detail(request, slug: str):
    try:
        practice = access.access_practice(request.user, slug)
    except PermissionDenied as error:
        raise Http404 from error
    return render(
        request,
        "library/practice_detail.html",
        {"practice": practice, **selectors.practice_detail(practice)},
    )


# --- Results and open data ------------------------------------------------------------------


@require_GET
def project_results(request):
    return render(
        request,
        "library/results.html",
        {"library_url": _library_url(), **selectors.project_results()},
    )


@require_GET
def opendata_index(request):
    entries = [
        {"dataset": dataset, "dictionary": opendata.dictionary(dataset)}
        for dataset in opendata.datasets().values()
    ]
    return render(
        request,
        "library/opendata.html",
        {
            "entries": entries,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "csv_note": opendata.CSV_NOTE,
            "library_url": _library_url(),
        },
    )


@require_GET
def opendata_export(request, dataset: str, fmt: str):
    spec = opendata.datasets().get(dataset)
    if spec is None or fmt not in ("csv", "json"):
        raise Http404
    try:
        opendata.check_parameters(spec, request.GET)
    except opendata.ParameterError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    ctx = opendata.context_for(request)
    if fmt == "csv":
        response = StreamingHttpResponse(
            opendata.csv_stream(spec, request.GET, ctx), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            opendata.json_stream(spec, request.GET, ctx), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="{spec.slug}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def api_list(request, dataset: str):
    spec = opendata.datasets().get(dataset)
    if spec is None:
        return JsonResponse(
            {"errore": f"Banca dati sconosciuta. Disponibili: {', '.join(opendata.datasets())}."},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    try:
        body = opendata.api_page(spec, request.GET, opendata.context_for(request), request.path)
    except opendata.ParameterError as error:
        return JsonResponse(
            {"errore": str(error)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- "Was this page useful?" ---------------------------------------------------------------


# No CSRF token in the form: a token would set a cookie on every content page and keep
# them out of the anonymous page cache (portal/pagecache.py). What a forged POST could do
# is add one anonymous rating, which is all this view ever writes.
@csrf_exempt
@require_POST
def page_feedback(request, page_id: int):
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None or not access.can_view_page(request.user, page):
        raise Http404
    specific = page.specific
    if hasattr(specific, "audience") and not access.can_view_library_item(request.user, specific):
        raise Http404
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = page.url or "/"
    rated = set(request.session.get("library_rated", []))
    form = FeedbackForm(request.POST)
    if page.pk in rated:
        messages.info(request, "Hai già valutato questa pagina: grazie!")
    elif form.is_valid():
        services.feedback_record(
            page=page, useful=form.cleaned_data["useful"], comment=form.cleaned_data["comment"]
        )
        request.session["library_rated"] = sorted(rated | {page.pk})[-200:]
        messages.success(request, "Grazie per la tua valutazione.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{next_url}#valutazione")
