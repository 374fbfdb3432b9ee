from django.contrib.admin.apps import AdminConfig


class CascadeAdminConfig(AdminConfig):
    """Django's admin with the scoped site as ``admin.site``."""

    default_site = "cascade.access.admin.CascadeAdminSite"
