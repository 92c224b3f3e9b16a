"""Every write of the party grid: the register (households, residents, tags, visit rules), its
Excel import, the member roster and links, visits, the 民情台账 and the 五个到户 register."""

from banshi.grid.services.importer import ImportReport, import_households
from banshi.grid.services.members import (
    link_create,
    link_end,
    party_member_create,
    party_member_update,
)
from banshi.grid.services.register import (
    household_archive,
    household_create,
    household_move,
    household_update,
    resident_add,
    resident_archive,
    resident_reveal,
    resident_update,
    tag_save,
    visit_rule_set,
)
from banshi.grid.services.visits import (
    LIFECYCLE,
    FindingRequest,
    five_record,
    ledger_open,
    ledger_transition,
    visit_record,
)

__all__ = [
    "LIFECYCLE",
    "FindingRequest",
    "ImportReport",
    "five_record",
    "household_archive",
    "household_create",
    "household_move",
    "household_update",
    "import_households",
    "ledger_open",
    "ledger_transition",
    "link_create",
    "link_end",
    "party_member_create",
    "party_member_update",
    "resident_add",
    "resident_archive",
    "resident_reveal",
    "resident_update",
    "tag_save",
    "visit_record",
    "visit_rule_set",
]
