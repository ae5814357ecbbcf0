from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, Site


class User(AbstractUser):
    """Portal user: franchisee staff and franchisor staff alike.

    Rights on units are not stored here; `franchise.access` grants them.
    """

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.username


class HomePage(Page):
    """The public landing page: what the portal is, and the login form."""

    headline = models.CharField(_("headline"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("headline"), FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # A translation of the site's home page routes through the site's own (default-locale)
        # tree: see translations.py. The site is cached on the request: no query for English.
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id != self.pk:
            if path_components:  # a page below it: HomePage adds nothing to Page's walk, so
                # the site's home is not loaded as a HomePage (one query less per request)
                return Page.route(site.root_page, request, path_components)
            return site.root_page.specific.route(request, path_components)
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            return redirect("dashboard")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from django.contrib.auth.forms import AuthenticationForm

        from .translations import shown

        context = super().get_context(request, *args, **kwargs)
        context["login_form"] = AuthenticationForm(request)
        context["shown"] = shown(self)  # the landing text in the visitor's language
        return context


@register_setting(icon="help")
class SupportSettings(BaseSiteSetting):
    """Contacts of the franchisor's support desk, shown in the cabinet footer."""

    support_email = models.EmailField(_("support e-mail"), blank=True)
    support_phone = models.CharField(_("support phone"), max_length=40, blank=True)

    panels = [FieldPanel("support_email"), FieldPanel("support_phone")]

    class Meta:
        verbose_name = _("support contacts")


from .activity import ActivityDay, WeeklyDigestLog  # noqa: E402,F401  (network views)
