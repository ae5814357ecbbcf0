"""Bench-only: every response says how many SQL queries made it (X-Bench-Queries), so the HTTP
load run can show that a page's query count does not grow with the network."""

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
