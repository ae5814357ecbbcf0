from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import UnitRequest, UnitTask
from .tasks_requests.admin_views import OverseerPermissionPolicy
from .viewsets import franchise_viewset_group

# Tasks and requests are viewed in the admin by those who oversee units, never changed there.
register_permission_policy(UnitTask, OverseerPermissionPolicy(UnitTask))
register_permission_policy(UnitRequest, OverseerPermissionPolicy(UnitRequest))


@hooks.register("register_admin_viewset")
def register_franchise_viewsets():
    return franchise_viewset_group


@hooks.register("register_admin_viewset")
def register_document_category_viewset():
    from .exchange_viewsets import document_category_viewset

    return document_category_viewset
