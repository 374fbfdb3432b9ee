"""The one task on Django's Tasks API: run a job by its id (``cascade.jobs.services.run``)."""

from django_tasks import task


@task()
def run_job(job_id: str) -> str:
    from .services import run

    return run(job_id)
