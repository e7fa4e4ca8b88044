from django.utils.functional import SimpleLazyObject

from .selectors import menu_pages


def navigation(request):
    return {"menu_pages": SimpleLazyObject(lambda: menu_pages(request))}
