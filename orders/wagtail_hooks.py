from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PriceImportView
from .viewsets import catalogue_viewset_group


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    return catalogue_viewset_group


@hooks.register("register_admin_urls")
def register_price_import_url():
    return [path("orders/price-import/", PriceImportView.as_view(), name="orders_price_import")]


class _PriceImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("orders.change_pricelistitem")


@hooks.register("register_admin_menu_item")
def register_price_import_menu_item():
    return _PriceImportMenuItem(
        _("Import a price list"),
        reverse("orders_price_import"),
        name="orders-price-import",
        icon_name="download",
        order=161,
    )
