"""What the tablet's browser tests do first: sign in as Inès, at a tablet's size."""

from playwright.sync_api import expect


def sign_in(
    page, base: str, *, username: str = "ines", password: str = "pass", offline_ready: bool = True
) -> None:
    """Sign in on /tablette/ (the live server's `base`, as localhost: service workers need a
    secure context) and wait for the day's roster to be drawn and for the tablet to be ready
    without signal (its service worker in control, the page and the day in its cache): a test
    that cuts the signal and reloads before that finds no page, as Inès would). A context that
    blocks service workers is never ready without signal: `offline_ready=False`."""
    page.set_viewport_size({"width": 800, "height": 1280})
    page.goto(base + "/tablette/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form.tablet-login button[type=submit]").click()
    page.wait_for_url(base + "/tablette/")
    expect(page.locator("#day")).to_have_attribute("data-state", "ready")
    if offline_ready:
        expect(page.locator("html")).to_have_attribute("data-offline-ready", "true")
