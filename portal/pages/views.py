from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .forms import SearchForm


def not_found(request, *args, **kwargs):
    raise Http404


@require_GET
def search(request):
    """The one search box: pages, library, databases, practices and forum discussions,
    each section narrowed by the access policy (see portal.library.search)."""
    from portal.cgp import CgpPhase
    from portal.library.search import (
        PREVIEW,
        SECTIONS,
        attach_snippets,
        specific_pages,
        unified_search,
    )

    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    query = "".join(ch for ch in query if ch.isprintable())
    context = {
        "form": form,
        "query": query,
        "results": None,
        "section_choices": SECTIONS,
        "section": "tutto",
        "phase": "",
        "phases": CgpPhase.choices,
    }
    if query:
        found = unified_search(
            request.user, query, request.GET.get("tipo", "tutto"), request.GET.get("fase", "")
        )
        context.update(found)
        selected = found["selected"]
        if selected is not None:
            page_obj = Paginator(selected.results, 10).get_page(request.GET.get("pagina"))
            if selected.key == "pagine":
                page_obj.object_list = specific_pages(page_obj.object_list)
            elif selected.key == "biblioteca":
                page_obj.object_list = attach_snippets(page_obj.object_list, query)
            context["results"] = page_obj
        else:
            for section in found["sections"]:
                preview = list(section.results[:PREVIEW])
                if section.key == "pagine":
                    preview = specific_pages(preview)
                elif section.key == "biblioteca":
                    preview = attach_snippets(preview, query)
                section.preview = preview
    return render(request, "pages/search.html", context)


def serve_reserved(request, path: str):
    """Route /aree-riservate/... through the reserved tree, as Wagtail's serve does for
    the site tree (same before_serve_page hooks, so the same access checks)."""
    from django.http import HttpResponse
    from wagtail import hooks

    from .models import ReservedAreaIndexPage

    index = ReservedAreaIndexPage.objects.live().first()
    if index is None:
        raise Http404
    components = [component for component in path.split("/") if component]
    page, args, kwargs = index.route(request, components)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return page.serve(request, *args, **kwargs)
