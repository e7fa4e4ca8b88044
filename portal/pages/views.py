from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .forms import SearchForm
from .selectors import search_pages


def not_found(request, *args, **kwargs):
    raise Http404


@require_GET
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = None
    if query:
        results = Paginator(search_pages(request.user, query), 10).get_page(
            request.GET.get("pagina")
        )
    return render(request, "pages/search.html", {"form": form, "query": query, "results": results})


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
