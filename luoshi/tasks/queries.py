"""Reading tasks back for other stages' pages: the choices and status sets they name."""

from __future__ import annotations

from luoshi.tasks.models import Indicator, Status

# An indicator's direction (up or down is better): re-exported so forms outside the stage offer its choices.
Direction = Indicator.Direction

# An assignment is open while its task is: assigned, in progress, or waiting for the office to close it.
OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.COMPLETION_REQUESTED)
