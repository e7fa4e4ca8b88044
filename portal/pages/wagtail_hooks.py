from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from portal import access


def _deny(request):
    """Anonymous visitors are sent to log in; logged-in users who may not see get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("before_serve_page")
def ask_the_access_policy_for_pages(page, request, serve_args, serve_kwargs):
    if not access.can_view_page(request.user, page):
        return _deny(request)
    return None


@hooks.register("before_serve_document")
def ask_the_access_policy_for_documents(document, request):
    if not access.can_view_document(request.user, document):
        return _deny(request)
    return None


@hooks.register("construct_explorer_page_queryset")
def hide_forbidden_pages_in_explorer(parent_page, pages, request):
    return access.visible_pages(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def hide_forbidden_pages_in_chooser(pages, request):
    return access.visible_pages(request.user, pages)


@hooks.register("construct_document_chooser_queryset")
def hide_forbidden_documents_in_chooser(documents, request):
    return access.visible_documents(request.user, documents)


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
@hooks.register("before_move_page")
@hooks.register("before_copy_page")
def forbid_admin_actions_on_forbidden_pages(request, page, *args):
    if not access.can_view_page(request.user, page):
        raise PermissionDenied
