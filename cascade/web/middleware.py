"""Apply a signed-in user's remembered language, whatever device she uses."""

from django.conf import settings
from django.utils import translation

from .models import Preference


class UserLanguageMiddleware:
    """Runs after LocaleMiddleware and AuthenticationMiddleware and overrides their guess."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = (
                Preference.objects.filter(user=user).values_list("language", flat=True).first()
            )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def remember_language(request, response, language: str) -> None:
    """Store ``language`` for the user (if signed in) and in the cookie (for the login page)."""
    if request.user.is_authenticated:
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
        samesite="Lax", secure=request.is_secure(), httponly=True,
    )
