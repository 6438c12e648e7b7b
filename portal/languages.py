"""The language a visitor chose from the header, kept in the cookie Django's LocaleMiddleware reads.

Django's own switch (`set_language`) is a POST form, so every page carrying it carried a CSRF token: each
anonymous visitor of each public page was minted one and sent a CSRF cookie, a third of what a kept public
page costs to serve. The choice changes nothing on the server, only a preference in the visitor's browser, so
here it is a link: `/i18n/choose/en/?next=/notices/` sets the cookie and goes back to the page (a `next`
pointing elsewhere goes home). Django's POST view stays for forms that use it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def language_choose(request: HttpRequest, code: str) -> HttpResponse:
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
