"""Django's model permissions, read once per person from the shared cache."""

from django.contrib.auth.backends import ModelBackend

from . import versions

#: Where a person's model permissions come from: the person (superuser, active), their own
#: permissions, their groups and the groups' permissions.
PERMISSION_LABELS = (
    "portal.User",
    "portal.User_groups",
    "portal.User_user_permissions",
    "auth.Group_permissions",
    "auth.Permission",
)


class CachedModelBackend(ModelBackend):
    """ModelBackend whose `get_all_permissions` is kept under the data versions of
    PERMISSION_LABELS: every signed-in request asks `has_perm` (network rights, admin access),
    which would otherwise cost two permission queries each time; a change to a person's groups
    or permissions is seen by their next request in every process."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = versions.cached(
                ("model-permissions", user_obj.pk),
                PERMISSION_LABELS,
                lambda: super(CachedModelBackend, self).get_all_permissions(user_obj),
            )
        return user_obj._perm_cache
