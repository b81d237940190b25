import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
application = get_wsgi_application()

# The URLconf (and so every view module) imported now rather than on the first request, then
# everything loaded so far set aside from the garbage collector: it lives as long as the
# worker. Otherwise each full collection walks these ~200,000 objects again (≈ 0.1 s, every
# few hundred requests: ≈ 0.3 ms a request on the map).
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.freeze()
