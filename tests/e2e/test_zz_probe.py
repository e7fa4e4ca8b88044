import pytest
from wagtail.models import Page

@pytest.mark.parametrize("n", [1, 2, 3])
def test_probe(live_server, n):
    print(n, list(Page.objects.values_list("depth", "slug")))
