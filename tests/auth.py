"""django-axes for tests: the test client's `login()` calls authenticate() without a request,
which axes refuses; those calls skip throttling, every real login (a POST to a login form)
is still throttled."""

from axes.backends import AxesStandaloneBackend


class AxesBackendAllowingTestClientLogin(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
