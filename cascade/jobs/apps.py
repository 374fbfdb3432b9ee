from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "cascade.jobs"
    default = True  # this module also names third-party apps (below)
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"


from django_tasks_db.apps import TasksAppConfig  # noqa: E402


class TaskQueueConfig(TasksAppConfig):
    """The queue behind background jobs, under a name of the product (its label stays)."""

    verbose_name = _("Background jobs: queue")
