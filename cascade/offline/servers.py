"""Submissions from the servers the phones send to: KoboToolbox (API v2) and ODK Central (OData).

Both are read as their own clients read them. KoboToolbox: ``GET
/api/v2/assets/<uid>/data/?format=json`` with ``Authorization: Token <KOBO_TOKEN>``,
pages followed by ``next``. ODK Central: a session from ``POST /v1/sessions`` with
``ODK_CENTRAL_EMAIL`` and ``ODK_CENTRAL_PASSWORD`` (or ``ODK_CENTRAL_TOKEN`` as it is),
then ``GET /v1/projects/<n>/forms/<id>.svc/Submissions?$expand=*`` with ``Authorization:
Bearer``, pages followed by ``@odata.nextLink``. Central's records are turned into
Kobo's flat shape (``group/question`` paths, ``meta/rootUuid``, ``_submission_time``),
so one importer reads both. Every submission is fetched each time: those already
imported are recognised by their instance ID and left as they are.
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT = 60


class ServerError(Exception):
    pass


def _get(url: str, headers: dict, data: bytes | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise ServerError(_("%(url)s answered %(status)s %(reason)s.") % {
            "url": url, "status": error.code, "reason": error.reason}) from None
    except (urllib.error.URLError, OSError) as error:
        raise ServerError(_("%(url)s cannot be reached: %(reason)s.") % {
            "url": url, "reason": getattr(error, "reason", error)}) from None


def _json(url: str, headers: dict, data: dict | None = None):
    body = json.dumps(data).encode() if data is not None else None
    sent = {**headers, "Accept": "application/json"}
    if body is not None:
        sent["Content-Type"] = "application/json"
    return json.loads(_get(url, sent, body))


# --- KoboToolbox --------------------------------------------------------------------

def kobo_headers() -> dict:
    token = os.environ.get("KOBO_TOKEN", "")
    if not token:
        raise ServerError(_("Set KOBO_TOKEN to the API token of your KoboToolbox account "
                            "(Account settings › Security › API key)."))
    return {"Authorization": f"Token {token}"}


def kobo_records(base: str, asset: str) -> list[dict]:
    headers = kobo_headers()
    url = f"{base.rstrip('/')}/api/v2/assets/{urllib.parse.quote(asset)}/data/?format=json"
    records = []
    while url:
        page = _json(url, headers)
        records.extend(page.get("results") or [])
        url = page.get("next")
    return records


def kobo_photo(headers: dict):
    def fetch(record: dict, filename: str) -> bytes | None:
        from .records import attachment_url

        url = attachment_url(record, filename)
        return _get(url, headers) if url else None

    return fetch


# --- ODK Central --------------------------------------------------------------------

def odk_headers(base: str) -> dict:
    token = os.environ.get("ODK_CENTRAL_TOKEN", "")
    if not token:
        email, password = os.environ.get("ODK_CENTRAL_EMAIL", ""), os.environ.get("ODK_CENTRAL_PASSWORD", "")
        if not email or not password:
            raise ServerError(_("Set ODK_CENTRAL_EMAIL and ODK_CENTRAL_PASSWORD (or ODK_CENTRAL_TOKEN) "
                                "for your ODK Central account."))
        token = _json(f"{base.rstrip('/')}/v1/sessions", {}, {"email": email, "password": password})["token"]
    return {"Authorization": f"Bearer {token}"}


def flatten(value: dict, prefix: str = "") -> dict:
    """Central's nested groups as Kobo's ``group/question`` paths; repeats stay lists."""
    flat = {}
    for name, item in value.items():
        if name.startswith("__") or "@odata" in name:
            continue
        path = f"{prefix}{name}"
        if isinstance(item, dict):
            flat.update(flatten(item, f"{path}/"))
        elif isinstance(item, list):
            flat[path] = [flatten(entry, f"{path}/") if isinstance(entry, dict) else entry for entry in item]
        else:
            flat[path] = item
    return flat


def odk_record(value: dict) -> dict:
    """One OData submission in Kobo's shape: Central's ``__id`` is the first version's instance ID."""
    record = flatten(value)
    system = value.get("__system") or {}
    record["meta/rootUuid"] = value.get("__id")
    record.setdefault("meta/instanceID", value.get("__id"))
    record["_submission_time"] = system.get("updatedAt") or system.get("submissionDate")
    record["_odk_id"] = value.get("__id")
    return record


def odk_records(base: str, project: str, form: str, headers: dict) -> list[dict]:
    root = f"{base.rstrip('/')}/v1/projects/{urllib.parse.quote(str(project))}/forms/{urllib.parse.quote(form)}"
    url = f"{root}.svc/Submissions?%24expand=*"
    records = []
    while url:
        page = _json(url, headers)
        for value in page.get("value") or []:
            if (value.get("__system") or {}).get("reviewState") == "rejected":
                continue
            records.append(odk_record(value))
        url = page.get("@odata.nextLink")
    return records


def odk_photo(base: str, project: str, form: str, headers: dict):
    root = f"{base.rstrip('/')}/v1/projects/{urllib.parse.quote(str(project))}/forms/{urllib.parse.quote(form)}"

    def fetch(record: dict, filename: str) -> bytes | None:
        instance = urllib.parse.quote(str(record.get("_odk_id") or ""))
        try:
            return _get(f"{root}/submissions/{instance}/attachments/{urllib.parse.quote(filename)}", headers)
        except ServerError:
            return None

    return fetch


# --- An export on disk ---------------------------------------------------------------

def read_export(path: Path) -> list[dict]:
    """The submissions of a KoboToolbox API v2 JSON export (``{"results": [...]}``, or a bare list)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and "value" in data:  # an ODK Central OData page saved to a file
        return [odk_record(value) for value in data["value"]]
    return data.get("results", []) if isinstance(data, dict) else list(data)


def photos_beside(path: Path):
    """Attached photos as files beside the export: in a folder named by the submission's
    ``_uuid``, by the attachment's stored path, or loose."""
    folder = Path(path).resolve().parent

    def fetch(record: dict, filename: str) -> bytes | None:
        candidates = [folder / str(record.get("_uuid") or "") / filename, folder / filename]
        for attachment in record.get("_attachments") or []:
            stored = str(attachment.get("filename") or "")
            if stored.rsplit("/", 1)[-1] == filename:
                candidates.insert(0, folder / stored)
        for candidate in candidates:
            try:
                if candidate.resolve().is_relative_to(folder) and candidate.is_file():
                    return candidate.read_bytes()
            except OSError:
                continue
        return None

    return fetch
