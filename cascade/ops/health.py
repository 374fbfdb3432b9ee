"""``/healthz``: whether this server can do its work, for a load balancer or a monitor.

Three checks, each ``{"ok": bool}``: the database answers a query; the cache stores and
returns a value (with ``REDIS_URL`` set, that is the shared Redis); a ``cascade worker``
has sent a heartbeat lately (cascade.jobs.heartbeat). All fine: 200 and ``"ok"``; any
down: 503 and ``"degraded"``. No login, no personal data, never cached.
"""

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from cascade.jobs.heartbeat import worker_status


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver's failure (refused, timed out, authentication) means down
        return False


def cache_ok() -> bool:
    token = secrets.token_hex(8)
    try:
        cache.set("cascade:healthz", token, timeout=30)
        return cache.get("cascade:healthz") == token
    except Exception:  # redis-py's connection errors are not Django's
        return False


def status() -> dict:
    worker = worker_status()
    last_seen = worker["last_seen"]
    report = {
        "database": {"ok": database_ok()},
        "cache": {"ok": cache_ok()},
        "worker": {"ok": worker["alive"], "workers": worker["workers"],
                   "last_seen": last_seen.isoformat() if last_seen else None},
    }
    healthy = all(check["ok"] for check in report.values())
    return {"status": "ok" if healthy else "degraded", **report}


@require_safe
def healthz(request):
    report = status()
    response = JsonResponse(report, status=200 if report["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response
