"""Cache-Control for pages and files with personal data."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response Django produces: pages, fragments, exports, annotated workbooks.

    Nearly every page names people, and a rule per view would be one more thing a new view could forget. A browser,
    proxy or shared computer keeps no copy, and Back after logging out shows nothing. Static files are served by
    WhiteNoise before this and keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):  # a view that said no-store itself is left as is
            add_never_cache_headers(response)
        return response
