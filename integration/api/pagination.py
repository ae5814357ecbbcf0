"""Cursor pagination in a stable order, so a sync tool can stop and resume where it was."""

from rest_framework.pagination import CursorPagination


class SyncCursorPagination(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("updated_at", "pk")

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)
