"""The archive page every installation needs, created after `migrate` (idempotent).

The home page's `subpage_types` (portal/pages) lists only content pages, so editors
cannot add a second archive by hand; this creates the one archive under the home page.
"""

from wagtail.models import Page

from .models import NEWSLETTER_SLUG, NewsletterIndexPage

INTRO = (
    "<p>La newsletter mensile del progetto: approfondimenti sul Ciclo di Gestione della "
    "Performance, esperienze degli enti partecipanti, webinar e documenti.</p>"
)


def ensure_newsletter_index() -> NewsletterIndexPage | None:
    existing = NewsletterIndexPage.objects.first()
    if existing is not None:
        return existing
    from portal.pages.models import HomePage

    home = HomePage.objects.first()
    if home is None or Page.get_first_root_node() is None:
        return None
    if home.get_children().filter(slug=NEWSLETTER_SLUG).exists():
        return None  # someone else holds the slug: leave their page alone
    index = NewsletterIndexPage(
        title="Newsletter", slug=NEWSLETTER_SLUG, intro=INTRO, show_in_menus=True
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index
