from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For feeds that grow while people read them (notifications, audit): no COUNT, stable pages."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"
