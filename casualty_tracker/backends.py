"""Signing in: Django's ModelBackend, loading the signed-in user with their roles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from claims import roles


class RoleModelBackend(ModelBackend):
    """The admin checks the user's role on every page (claims.roles.has_role); loading the roles
    with the user keeps that check from costing a query of its own."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.filter(pk=user_id)
        user = next(roles.users_with_roles(users), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
