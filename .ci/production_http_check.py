"""Checks a running production install through nginx, as a resident's browser would.

Usage: production_http_check.py https://localhost:8192 WORKSHOP_PK
"""

import datetime
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
# The CI's certificate is self-signed.
CONTEXT = ssl._create_unverified_context()
cookies: dict[str, str] = {}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=CONTEXT), NoRedirect())


def fetch(path: str, data: dict | None = None, base: str = BASE):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(base + path, data=body)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if data is not None:
        request.add_header("Referer", base + path)
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        cookies[name] = value
    content = response.read()
    print(f"  {'POST' if data is not None else 'GET'} {path} -> {response.status}")
    return response.status, response.headers, content


def expect(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"FAILED: {what}")


status, _, body = fetch("/health/")
expect(status == 200 and json.loads(body)["status"] == "ok", "/health/ answers 200, all ok")

http_base = BASE.replace("https://", "http://").rsplit(":", 1)[0] + ":8191"
status, headers, _ = fetch("/", base=http_base)
expect(status == 301 and headers["Location"].startswith("https://"), "HTTP redirects to HTTPS")

status, headers, body = fetch("/communes/amiens/")
expect(status == 200 and b"Amiens" in body, "a commune page")
expect("max-age" in headers.get("Strict-Transport-Security", ""), "HSTS on pages")

stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
status, headers, _ = fetch(stylesheet)
caching = " ".join(headers.get_all("Cache-Control") or [])
expect(status == 200 and "immutable" in caching, "static files served by nginx")
status, _, body = fetch("/media/ci-check.txt")
expect(status == 200 and body.strip() == b"ci-check", "media served by nginx")

status, _, body = fetch("/sitemap.xml")
expect(status == 200 and body.count(b"/communes/") >= 771, "sitemap lists the communes")

form_path = f"/ateliers/{sys.argv[2]}/inscription/"
status, _, body = fetch(form_path)
token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
expect(status == 200 and token is not None, "the sign-up form carries a CSRF token")
status, headers, body = fetch(
    form_path,
    {
        "csrfmiddlewaretoken": token.group(1).decode(),
        "first_name": "Martine",
        "last_name": "Leroy",
        "phone": "06 12 34 56 78",
        "email": "",
        "home_commune": "Amiens",
        "needs": "",
        "waiting_list_ok": "on",
        "consent": "on",
        "website": "",
    },
)
if status != 302:
    errors = re.findall(rb'id="[^"]*error[^"]*"[^>]*>(.*?)<', body)
    print("  form errors:", [e.decode() for e in errors])
expect(status == 302 and "/inscription/" in headers["Location"], "the sign-up is accepted")
status, _, body = fetch(urllib.parse.urlsplit(headers["Location"]).path)
expect(status == 200 and b"Martine" in body, "the confirmation page shows the registration")

# A coordinator signs in and asks for the funders' export: the worker builds it.
if os.environ.get("WITH_WORKER"):
    cookies.clear()
    status, _, body = fetch("/admin/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    status, headers, _ = fetch(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": token,
            "username": "ci-coordination",
            "password": os.environ["COORDINATOR_PASSWORD"],
            "next": "/admin/",
        },
    )
    expect(status == 302, "the coordinator signs in")
    status, _, body = fetch("/admin/rapports/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    expect(status == 200 and token is not None, "the statistics page")
    today = datetime.date.today()
    status, headers, _ = fetch(
        "/admin/rapports/exports/",
        {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "start": f"{today.year}-01-01",
            "end": today.isoformat(),
            "format": "csv",
        },
    )
    expect(status == 302 and "/exports/" in headers["Location"], "the export is asked for")
    export = urllib.parse.urlsplit(headers["Location"]).path
    for _attempt in range(60):
        status, _, body = fetch(export + "etat.json")
        if not json.loads(body)["in_progress"]:
            break
        time.sleep(0.5)
    expect(json.loads(body)["status"] == "ready", "the worker built the export")
    status, headers, body = fetch(export + "fichier")
    expect(
        status == 200 and body.startswith("\ufeffDate;".encode()),
        "the export downloads as the Coop's CSV",
    )
print("HTTP checks passed")
