"""Wagtail registration of the network views: admin reports, their menu items and the admin
home panel. Imported from the end of reporting/wagtail_hooks.py."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_reports, scorecards


class _NetworkMenuItem(MenuItem):
    def is_shown(self, request):
        return scorecards.is_network_viewer(request.user)


@hooks.register("register_admin_urls")
def register_network_report_urls():
    urls = []
    for slug, view, name in admin_reports.REPORTS:
        urls.append(path(f"reports/network/{slug}/", view.as_view(), name=name))
        urls.append(
            path(
                f"reports/network/{slug}/results/",
                view.as_view(results_only=True),
                name=f"{name}_results",
            )
        )
    return urls


#: The reports menu entries: (url name, label, menu item name, icon, order).
MENU_ITEMS = [
    (
        "network_overdue_reports",
        _("Units overdue on reports"),
        "network-overdue-reports",
        "warning",
        1200,
    ),
    ("network_training", _("Training compliance"), "network-training", "group", 1210),
    (
        "network_adoption_regions",
        _("Portal adoption by region"),
        "network-adoption-regions",
        "site",
        1220,
    ),
]


def _menu_item_hook(url_name, label, name, icon, order):
    def register_menu_item():
        return _NetworkMenuItem(label, reverse(url_name), name=name, icon_name=icon, order=order)

    register_menu_item.__name__ = f"register_{url_name}_menu_item"
    return register_menu_item


for _entry in MENU_ITEMS:
    hooks.register("register_reports_menu_item", _menu_item_hook(*_entry))


@hooks.register("construct_homepage_panels")
def add_network_panel(request, panels):
    units = scorecards.units_in_scope(request.user)
    if units is not None:
        panels.append(admin_reports.HeadlinePanel(units, request.user))
