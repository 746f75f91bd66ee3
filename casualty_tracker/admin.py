"""The admin site: a role is what lets someone in (claims.roles.has_role), not "Staff status".

- Active users who hold a role, and superusers, use the admin whether or not is_staff is ticked.
- Someone signed in without a role (e.g. a staff user nobody gave a role yet) gets a 403 page on
  every admin page that says what is missing and whom to ask; they can still log out.
- The login form tells a user without a role (and without staff status) so, once their password
  is right, instead of blaming the password.

casualty_tracker.apps.TrackerAdminConfig makes this the default site, so `admin.site` is this site.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from claims import roles

NO_ROLE = (
    "Your account has no role in this tracker: ask an administrator (a superuser of this tracker) "
    f"to give you one ({', '.join(roles.ROLES[:-1])} or {roles.ROLES[-1]})."
)


class RoleAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, letting in whoever holds a role or staff status."""

    error_messages = {
        # Not "for a staff account": staff status is not what lets someone in.
        "invalid_login": AuthenticationForm.error_messages["invalid_login"],
        "inactive": AuthenticationForm.error_messages["inactive"],
        "no_role": NO_ROLE,
    }

    def confirm_login_allowed(self, user):
        # Only reached with the right password: the authentication backend checked it.
        AuthenticationForm.confirm_login_allowed(self, user)
        if not (roles.has_role(user) or user.is_staff):
            raise ValidationError(self.error_messages["no_role"], code="no_role")


class TrackerAdminSite(admin.AdminSite):
    site_header = "Civilian-harm claims tracker"
    site_title = "Claims tracker"
    index_title = "Claims, strikes and assessments"
    login_form = RoleAuthenticationForm
    no_role_template = "admin/no_role.html"

    def has_permission(self, request):
        return roles.has_role(request.user)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            user = request.user
            if user.is_active and not self.has_permission(request):
                # Signed in, without a role: say so rather than send them back to the login.
                if request.path == reverse("admin:logout", current_app=self.name):
                    return self.logout(request)
                return self.no_role_view(request)
            return checked(request, *args, **kwargs)

        # `checked` protects the view (CSRF, no caching); the logout view protects itself.
        return update_wrapper(never_cache(inner), view)

    def no_role_view(self, request):
        context = {
            **self.each_context(request),
            "title": "Your account has no role",
            "message": NO_ROLE,
        }
        request.current_app = self.name
        return TemplateResponse(request, self.no_role_template, context, status=403)
