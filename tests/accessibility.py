"""One accessibility check for every browser test: axe-core, as shipped by axe-playwright-python."""

from axe_playwright_python.sync_playwright import Axe


def axe_violations(page) -> list[str]:
    """The current page's violations of every axe rule (WCAG 2.1 A/AA and best practices).

    One line per rule with its first few elements, so a failing assertion says what to fix.
    """
    results = Axe().run(page)
    return [
        f"{item['id']}: {[node['target'] for node in item['nodes']][:3]}"
        for item in results.response["violations"]
    ]
