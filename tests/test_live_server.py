"""The browser tests' live server answers the requests a page and its service worker send
together as it answers them one by one, on SQLite's in-memory test database too."""

import concurrent.futures
import urllib.error
import urllib.request

import pytest
from django.urls import reverse


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_requests_sent_together_are_all_answered_without_a_server_error(live_server):
    # The commune search reads the branding and the communes: every request reads tables
    # that the others read at the same moment.
    url = live_server.url + reverse("cms:commune_search") + "?q=ami"
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(_status, [url] * 120))
    assert statuses == [200] * 120
