"""Page-number pagination: `page` (from 1) and `page_size` (1 to 1000, default 50).

A page_size outside 1..1000 or a page that is not a positive number is a 400 naming the limit,
never silently clamped: a client that asked for 5000 rows must not believe it got them all. A
page past the end is a 404 ("Invalid page."). An empty value means the default.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

MAX_PAGE_SIZE = 1000


def _positive(raw: str, name: str, maximum: int | None = None) -> int:
    message = f"must be a whole number from 1 to {maximum}" if maximum else "must be 1 or more"
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        raise ValidationError({name: [f"{name} {message}, not {raw!r}."]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # absent or empty: the default
            return self.page_size
        return _positive(raw, self.page_size_query_param, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        return _positive(raw, self.page_query_param) if raw else 1

    def check_parameters(self, request) -> None:
        """Refuse bad `page` / `page_size` values even where they are not used (exports)."""
        self.get_page_size(request)
        self.get_page_number(request, None)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (a page past the end is a 404).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page: default {self.page_size}, at most {self.max_page_size} "
                    "(a larger value is a 400, not clamped)."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
