from __future__ import annotations

from ninja import Field, Schema


class ResidentOut(Schema):
    id: int
    name: str
    relation: str
    mobile_masked: str = Field(..., alias="masked_mobile")
    id_number_masked: str = Field(..., alias="masked_id_number")
    is_party_member: bool


class HouseholdOut(Schema):
    id: int
    org_unit_id: int
    label: str = Field(..., alias="org_unit.name")
    address: str
    tags: list[str]
    residents: list[ResidentOut]

    @staticmethod
    def resolve_residents(obj):  # type: ignore[no-untyped-def]
        return list(obj.residents.all())


class ResidentPiiOut(Schema):
    mobile: str
    id_number: str
