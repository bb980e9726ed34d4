"""Where to go after saving: a `next` address given by the page that sent the user, if it is one of ours."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request) -> str | None:
    """The `next` parameter (form field or query string) when it points to this site, else None: a link such as
    ?next=https://evil.example must never turn a save into a redirect elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
