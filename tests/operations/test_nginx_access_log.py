"""The web server's access log never holds a resident's secret link, nor a query string.

Personal links (/inscription/<token>/, the SMS's /r/<token>), the alerts' keys, the SMS
provider's webhook token and the staff's private calendars open someone's data to whoever
holds the address. Django's own request log masks them (mediation.observability); nginx logs
every request before Django sees it. Here the real nginx runs deploy/nginx.conf, as
.ci/production-path does, and Jeanne's requests are searched for in its access log.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
import urllib3

ROOT = Path(__file__).resolve().parents[2]
SIGNED = "eyJyIjoiYWJjIiwidiI6MX0:1tXyZa:Qm9uam91ckplYW5uZVRva2VuU2lnbmU"
SHORT = "Ab3dE5gH7jK9"
ALERT_KEY = "k3yOfJeannesAlert"
WEBHOOK = "w3bh00kS3cret"
FEED = "pr1vateFeedT0ken"
PHONE = "0612345678"

pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") and shutil.which("openssl")), reason="needs nginx and openssl"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    """nginx serving deploy/nginx.conf on a free port, with no Django behind it (502)."""
    subprocess.run(
        [
            "openssl",
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost"),
            *("-days", "1", "-keyout", tmp_path / "privkey.pem"),
            *("-out", tmp_path / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    https_port, http_port, closed_port = _free_port(), _free_port(), _free_port()
    (tmp_path / "cache").mkdir()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in {
        "bus.example.org": "localhost",
        "/etc/letsencrypt/live/localhost/": f"{tmp_path}/",
        "/srv/mediation/": f"{ROOT}/",
        "/var/cache/nginx/mediation": f"{tmp_path}/cache",
        "/var/log/nginx/": f"{tmp_path}/",
        "/etc/nginx/proxy_params_mediation": f"{ROOT}/deploy/proxy_params_mediation",
        "127.0.0.1:8000": f"127.0.0.1:{closed_port}",
        "listen 443 ": f"listen {https_port} ",
        "listen 80;": f"listen {http_port};",
    }.items():
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"""pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  # Debian's own nginx.conf logs every site here, in the "combined" format.
  access_log {tmp_path}/access.log;
  client_body_temp_path {tmp_path}/cache/body;
  proxy_temp_path {tmp_path}/cache/proxy;
  include {tmp_path}/site.conf;
}}
"""
    )
    subprocess.run(["nginx", "-c", tmp_path / "nginx.conf"], check=True, capture_output=True)
    try:
        deadline = time.monotonic() + 5
        while not (tmp_path / "nginx.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        yield {"https": https_port, "http": http_port, "folder": tmp_path}
    finally:
        subprocess.run(["nginx", "-c", tmp_path / "nginx.conf", "-s", "stop"], check=False)


def _logged(folder: Path) -> str:
    time.sleep(0.2)  # nginx writes the line as the request ends
    return "\n".join(path.read_text() for path in folder.glob("*.log") if path.name != "error.log")


def test_jeannes_links_reach_no_access_log_in_clear(nginx):
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    https = f"https://localhost:{nginx['https']}"
    paths = [
        f"/inscription/{SIGNED}/",
        f"/inscription/{SIGNED}/annuler/",
        f"/r/{SHORT}",
        f"/alertes/{ALERT_KEY}/arret/",
        f"/sms/webhook/{WEBHOOK}/",
        f"/agenda/prive/{FEED}.ics",
        f"/communes/woincourt/?telephone={PHONE}",
    ]
    for path in paths:
        # No Django behind it: nginx answers 502 (or 500, its cache folder aside), and logs.
        requests.get(
            https + path, verify=False, timeout=5, headers={"Referer": https + f"/r/{SHORT}"}
        )
    requests.get(f"http://localhost:{nginx['http']}/r/{SHORT}", timeout=5, allow_redirects=False)

    log = _logged(nginx["folder"])

    assert "/inscription/" in log and "/alertes/" in log  # the requests are logged
    for secret in [SIGNED, SHORT, ALERT_KEY, WEBHOOK, FEED, PHONE]:
        assert secret not in log
