"""What every page's template gets: the language, the user's role and school, the nav."""
from hub.web.access import district_wide, may_edit, own_school, role_of


def hub_context(request) -> dict:
    """Template context for every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"lang": getattr(request, "LANGUAGE_CODE", "vi")}
    return {"lang": getattr(request, "LANGUAGE_CODE", "vi"), "role": role_of(user),
            "district_wide": district_wide(user), "may_edit": may_edit(user),
            "home_school": own_school(user)}
