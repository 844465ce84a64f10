"""Read functions of the meetings app: meetings, suggestions, routing, compliance, agendas."""

from .agenda import MeetingFigures, PrecinctAgenda, precinct_agenda
from .compliance import (
    ComplianceGroup,
    ComplianceReport,
    ComplianceRow,
    Level,
    State,
    compliance_report,
)
from .meetings import meeting_list, meeting_report, next_planned_meeting
from .routing import (
    category_list,
    deadline_days_for,
    responsible_body_list,
    routing_rule_for,
    routing_rule_list,
)
from .suggestions import (
    Tally,
    overdue_q,
    suggestion_declined_by,
    suggestion_history,
    suggestion_list,
    suggestion_tally_by_body,
    suggestion_tally_by_district,
    suggestions_in,
    suggestions_open,
)

__all__ = [
    "ComplianceGroup",
    "ComplianceReport",
    "ComplianceRow",
    "Level",
    "MeetingFigures",
    "PrecinctAgenda",
    "State",
    "Tally",
    "category_list",
    "compliance_report",
    "deadline_days_for",
    "meeting_list",
    "meeting_report",
    "next_planned_meeting",
    "overdue_q",
    "precinct_agenda",
    "responsible_body_list",
    "routing_rule_for",
    "routing_rule_list",
    "suggestion_declined_by",
    "suggestion_history",
    "suggestion_list",
    "suggestion_tally_by_body",
    "suggestion_tally_by_district",
    "suggestions_in",
    "suggestions_open",
]
