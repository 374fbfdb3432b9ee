from rest_framework.pagination import PageNumberPagination


class Paging(PageNumberPagination):
    """100 per page; ``page_size`` up to 1000."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
