"""``log(action, user, obj, **details)``: the one call every surface makes to leave a trace."""

from . import actor
from .models import AuditEntry


def _label(obj) -> str:
    """A label that names no person: model and key, never ``str(person)``."""
    if obj is None:
        return ""
    key = getattr(obj, "key", None) or getattr(obj, "pk", "")
    return f"{obj._meta.model_name}:{key}"


def _is_operator(user) -> bool:
    from cascade.access.rules import is_operator

    return is_operator(user)


def log(action: str, user=None, obj=None, **details) -> AuditEntry:
    if not action.startswith("cascade."):
        raise ValueError(f"Audit action codes are namespaced 'cascade.<thing>.<verb>', not {action!r}.")
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        action=action,
        user=user if signed_in else None,
        username=user.get_username() if signed_in or _is_operator(user) else actor.current(),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=_label(obj),
        details={k: v for k, v in details.items()},
    )
