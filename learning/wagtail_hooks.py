"""Admin registration: quizzes as a snippet with revisions and publishing."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "help"
    menu_label = _("Quizzes")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "pass_mark", "attempts_allowed", "time_limit_minutes", "live"]
    list_filter = ["feedback"]
    list_export = ["title", "pass_mark", "attempts_allowed", "time_limit_minutes", "draw_count"]
    search_fields = ["title"]


register_snippet(QuizViewSet)


@hooks.register("register_admin_viewset")
def register_learning_viewsets():
    from .viewsets import learning_viewset_group

    return learning_viewset_group
