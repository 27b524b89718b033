"""Who sees what. District staff and district-wide read-only users see every school; a
principal (or a school's read-only user) sees their own school only: any other school's URL,
and every district-wide URL, answers 404 (not 403: nothing tells them what exists)."""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from hub.schools.models import Membership, School


def role_of(user) -> str:
    """``district``, ``principal``, ``readonly`` or ``""`` (no role: sees nothing)."""
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return Membership.DISTRICT
    membership = getattr(user, "membership", None)
    return membership.role if membership else ""


def own_school(user) -> School | None:
    """The school a principal or school read-only user belongs to."""
    membership = getattr(user, "membership", None)
    return membership.school if membership else None


def district_wide(user) -> bool:
    """True for district staff and district-wide read-only users."""
    role = role_of(user)
    return role == Membership.DISTRICT or (role == Membership.READONLY and own_school(user) is None)


def may_edit(user) -> bool:
    """District staff may create requests and receive or refuse answers."""
    return role_of(user) == Membership.DISTRICT


def school_for(user, code: str) -> School:
    """The school ``code`` if this user may see it; else 404."""
    if district_wide(user):
        school = School.objects.filter(code=code).first()
    else:
        school = own_school(user)
        if school is None or school.code != code or role_of(user) == "":
            school = None
    if school is None:
        raise Http404("no such school")
    return school


def district_page(view):
    """A district-wide page: 404 for anyone else."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not district_wide(request.user):
            raise Http404("not found")
        return view(request, *args, **kwargs)
    return wrapper


def school_page(view):
    """A page of one school (``code`` in the URL): the school is passed to the view."""
    @login_required
    @wraps(view)
    def wrapper(request, code, *args, **kwargs):
        return view(request, school_for(request.user, code), *args, **kwargs)
    return wrapper
