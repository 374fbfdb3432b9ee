"""The one place that decides who may see what.

Every page, admin view, API handler, export, search and command asks this
module; nothing else filters by role. Roles: network admin, partner staff,
trainer, donor viewer, the anonymous public (see docs/security.md).

Interface (kept stable for every caller):

- ``visible_trainings(user) -> QuerySet[Training]``
- ``visible_people(user) -> QuerySet[Person]``
- ``visible_organizations(user) -> QuerySet[Organization]``
- ``can_see_people(user) -> bool``: names, contacts, photos of people at all
- ``can_edit_training(user, training) -> bool``
- ``exact_figures(user) -> bool``: staff see exact counts; donors and the public
  see small cells suppressed
"""

from cascade.access.policy import (  # noqa: F401
    can_edit_training,
    can_see_people,
    exact_figures,
    visible_organizations,
    visible_people,
    visible_trainings,
)
