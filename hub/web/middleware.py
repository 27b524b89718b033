"""Vietnamese first: every page is in Vietnamese unless the person chose English (the switch
in the header stores the choice in Django's language cookie). The browser's own language is
not asked: a district's computers often run an English browser for Vietnamese staff."""
from django.conf import settings
from django.utils import translation


class VietnameseFirst:
    """Activate the chosen language (cookie), else Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        lang = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        translation.deactivate()
        return response
