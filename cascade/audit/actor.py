"""Who acts when no one is signed in: the operator at the command line.

``cascade export``, ``cascade erase`` and the other commands run without a web
session, so the audit log would not know who exported or erased. The ``cascade``
entry point sets the operating-system account here, and ``log`` records it.
Plain Python (no Django): the entry point sets it before Django starts.
"""

import contextvars
import getpass

_command_line_actor: contextvars.ContextVar[str] = contextvars.ContextVar("command_line_actor", default="")


def at_command_line() -> contextvars.Token:
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "unknown"
    return _command_line_actor.set(f"{account} (command line)")


def done(token: contextvars.Token) -> None:
    _command_line_actor.reset(token)


def current() -> str:
    return _command_line_actor.get()
