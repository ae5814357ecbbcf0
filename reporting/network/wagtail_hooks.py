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


@hooks.register("register_reports_menu_item")
def register_overdue_reports_menu_item():
    return _NetworkMenuItem(
        _("Units overdue on reports"),
        reverse("network_overdue_reports"),
        name="network-overdue-reports",
        icon_name="warning",
        order=1200,
    )


@hooks.register("register_reports_menu_item")
def register_training_menu_item():
    return _NetworkMenuItem(
        _("Training compliance"),
        reverse("network_training"),
        name="network-training",
        icon_name="group",
        order=1210,
    )


@hooks.register("register_reports_menu_item")
def register_adoption_menu_item():
    return _NetworkMenuItem(
        _("Portal adoption by region"),
        reverse("network_adoption_regions"),
        name="network-adoption-regions",
        icon_name="site",
        order=1220,
    )


@hooks.register("construct_homepage_panels")
def add_network_panel(request, panels):
    units = scorecards.units_in_scope(request.user)
    if units is not None:
        panels.append(admin_reports.HeadlinePanel(units, request.user))
