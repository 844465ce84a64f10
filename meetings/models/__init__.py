"""Report meetings with residents, the suggestions residents make at them, and where those go."""

from .meeting import (
    MSG_ATTENDEES_NEGATIVE,
    MSG_CANCELLED_WITHOUT_REASON,
    MSG_HELD_AT_NOT_HELD,
    MSG_HELD_IN_FUTURE,
    MSG_HELD_IS_FINAL,
    MSG_HELD_WITHOUT_ATTENDEES,
    MSG_HELD_WITHOUT_DATE,
    MSG_INSPECTOR_NOT_SERVING,
    Meeting,
)
from .routing import (
    MSG_BODY_INACTIVE,
    MSG_DEADLINE_DAYS,
    MSG_DEFAULT_RULE_UNIQUE,
    MSG_RULE_BODY_OTHER_DISTRICT,
    MSG_RULE_UNIQUE,
    Category,
    ResponsibleBody,
    RoutingRule,
)
from .suggestion import (
    MSG_MEETING_NOT_HELD,
    MSG_MERGED_WITHOUT_TARGET,
    Suggestion,
    SuggestionEvent,
)

__all__ = [
    "MSG_ATTENDEES_NEGATIVE",
    "MSG_BODY_INACTIVE",
    "MSG_CANCELLED_WITHOUT_REASON",
    "MSG_DEADLINE_DAYS",
    "MSG_DEFAULT_RULE_UNIQUE",
    "MSG_HELD_AT_NOT_HELD",
    "MSG_HELD_IN_FUTURE",
    "MSG_HELD_IS_FINAL",
    "MSG_HELD_WITHOUT_ATTENDEES",
    "MSG_HELD_WITHOUT_DATE",
    "MSG_INSPECTOR_NOT_SERVING",
    "MSG_MEETING_NOT_HELD",
    "MSG_MERGED_WITHOUT_TARGET",
    "MSG_RULE_BODY_OTHER_DISTRICT",
    "MSG_RULE_UNIQUE",
    "Category",
    "Meeting",
    "ResponsibleBody",
    "RoutingRule",
    "Suggestion",
    "SuggestionEvent",
]
