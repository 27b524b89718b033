"""The admin for district staff: schools, kiosks (issue and revoke their tokens), people's
roles and the terms. A new token is shown once, in the admin's message, and never again."""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from hub.calendar import forget_terms
from hub.ingest.tokens import issue_token, revoke_tokens
from hub.schools.models import Kiosk, KioskToken, Membership, School, Term


def is_district(user) -> bool:
    """District staff (and superusers) run the admin; nobody else sees it."""
    if not (user.is_active and user.is_staff):
        return False
    membership = getattr(user, "membership", None)
    return user.is_superuser or (membership is not None and membership.role == Membership.DISTRICT)


class DistrictOnly:
    """Every permission of an admin page, for district staff only."""

    def has_module_permission(self, request):
        """See the app in the admin's index."""
        return is_district(request.user)

    def has_view_permission(self, request, obj=None):
        """View."""
        return is_district(request.user)

    def has_add_permission(self, request, *args):
        """Add."""
        return is_district(request.user)

    def has_change_permission(self, request, obj=None):
        """Change."""
        return is_district(request.user)

    def has_delete_permission(self, request, obj=None):
        """Delete."""
        return is_district(request.user)


class MembershipInline(DistrictOnly, admin.StackedInline):
    """A person's role, on their user page."""

    model = Membership
    can_delete = False


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PersonAdmin(DistrictOnly, UserAdmin):
    """People and their roles."""

    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")


class KioskInline(DistrictOnly, admin.TabularInline):
    """A school's kiosks."""

    model = Kiosk
    fields = ("kiosk_id", "name", "last_heartbeat_at", "last_records_at", "version")
    readonly_fields = ("last_heartbeat_at", "last_records_at", "version")
    extra = 0


@admin.register(School)
class SchoolAdmin(DistrictOnly, admin.ModelAdmin):
    """Schools."""

    list_display = ("code", "name", "level", "commune")
    search_fields = ("code", "name")
    inlines = [KioskInline]


@admin.register(Kiosk)
class KioskAdmin(DistrictOnly, admin.ModelAdmin):
    """Kiosks, with token actions."""

    list_display = ("kiosk_id", "school", "name", "last_heartbeat_at", "version", "paper_out")
    list_filter = ("school",)
    search_fields = ("kiosk_id", "school__code", "school__name")
    readonly_fields = ("last_records_at", "last_heartbeat_at", "version", "queue_pending",
                       "queue_dead", "oldest_pending_at", "last_push_at", "clock_offset_s",
                       "printer_status", "paper_out", "scanners", "heartbeat")
    actions = ["new_token", "revoke"]

    @admin.action(description="Cấp token mới (hiện một lần) / Issue a new token (shown once)")
    def new_token(self, request, queryset):
        """Issue one token per selected kiosk and show it once."""
        for kiosk in queryset:
            token = issue_token(kiosk, by=request.user)
            self.message_user(request, f"{kiosk}: {token}", messages.WARNING)

    @admin.action(description="Thu hồi mọi token / Revoke every token")
    def revoke(self, request, queryset):
        """Revoke the selected kiosks' tokens."""
        count = sum(revoke_tokens(kiosk) for kiosk in queryset)
        self.message_user(request, f"{count} token(s) revoked")


@admin.register(KioskToken)
class KioskTokenAdmin(DistrictOnly, admin.ModelAdmin):
    """Tokens: only their hint and dates are shown (the token itself is not kept)."""

    list_display = ("kiosk", "hint", "created_at", "created_by", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("kiosk", "digest", "hint", "created_at", "created_by", "last_used_at")
    fields = readonly_fields + ("revoked_at",)

    def has_add_permission(self, request, *args):
        """Tokens are issued from the kiosk list, where the new token can be shown once."""
        return False


@admin.register(Membership)
class MembershipAdmin(DistrictOnly, admin.ModelAdmin):
    """People's roles."""

    list_display = ("user", "role", "school")
    list_filter = ("role", "school")


@admin.register(Term)
class TermAdmin(DistrictOnly, admin.ModelAdmin):
    """Terms of each school year (after a change, run ``rebuild_figures``)."""

    list_display = ("school_year", "code", "starts_on", "ends_on")

    def save_model(self, request, obj, form, change):
        """Save, and let the next records use the new bounds at once."""
        super().save_model(request, obj, form, change)
        forget_terms()
