"""axe-core finds no serious or critical accessibility problem on the public pages people
meet first (home, a content page, login, sign-up), with the demo content loaded."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal.demo.loader import DemoLoader
from portal.pages.models import ContentPage

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

BLOCKING_IMPACTS = {"serious", "critical"}
PAGES = [
    ("/", "Valutazione delle Performance"),
    ("/il-progetto/", "Il progetto"),
    ("/account/login/", "Accedi"),
    ("/account/signup/", "Registrazione"),
]


def describe(path, violation):
    """One violation, with what a developer needs to find and fix it."""
    nodes = violation["nodes"]
    first = nodes[0] if nodes else {}
    return (
        f"{path}: {violation['id']} ({violation['impact']}) — {violation['help']}\n"
        f"    {violation['helpUrl']}\n"
        f"    {len(nodes)} element(s); first: target={first.get('target')}\n"
        f"    html: {first.get('html')}\n"
        f"    {(first.get('failureSummary') or '').replace(chr(10), chr(10) + '    ')}"
    )


def test_public_pages_have_no_serious_accessibility_violations(page):
    DemoLoader(log=lambda message: None).run()
    assert ContentPage.objects.filter(slug="il-progetto").exists()
    axe = Axe()

    problems = []
    for path, heading in PAGES:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if path == "/":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
        violations = axe.run(page).response["violations"]
        problems += [
            describe(path, violation)
            for violation in violations
            if violation["impact"] in BLOCKING_IMPACTS
        ]

    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)
