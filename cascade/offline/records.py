"""A submission as servers export it: its answers by question name, and its IDs."""

from __future__ import annotations


def answers(record: dict) -> dict:
    """Answers by question name (the last part of each path); a repeat becomes a list of them."""
    found = {}
    for path, value in record.items():
        name = path.rsplit("/", 1)[-1]
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [answers(item) for item in value]
        found.setdefault(name, value)
    return found


def ids(record: dict) -> tuple[str, str]:
    """(root uuid, instance id) of a submission; the root is the instance of its first version."""
    instance = str(record.get("meta/instanceID") or "")
    if not instance and record.get("_uuid"):
        instance = f"uuid:{record['_uuid']}"
    root = str(record.get("meta/rootUuid") or instance)
    if root and not root.startswith("uuid:"):
        root = f"uuid:{root}"
    return root, instance


def attachment_url(record: dict, filename: str) -> str | None:
    """The download address of an attached file in a Kobo record (its name ends the stored path)."""
    for attachment in record.get("_attachments") or []:
        stored = str(attachment.get("filename") or attachment.get("name") or "")
        if stored.rsplit("/", 1)[-1] == filename:
            return attachment.get("download_url") or attachment.get("download_large_url")
    return None


