"""``POST /api/v1/dispatch/suggest``: the dispatch assistant for staff clients. Parse, suggest,
return; bad input answers 4xx with the stable ``{"code", "detail"}`` body."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from banshi.core.permissions import require
from banshi.insight import engine
from banshi.insight.schemas import SuggestIn, SuggestOut

router = Router(tags=["智能派单"])


def suggestion_body(suggestion: engine.Suggestion) -> dict[str, Any]:
    place = suggestion.place
    return {
        "model_version": suggestion.model_version,
        "low_confidence": suggestion.low_confidence,
        "notes": suggestion.notes,
        "place": {"id": place.pk, "name": place.name} if place is not None else None,
        "categories": [
            {"path": c.path, "code": c.category.code, "id": c.category.pk, "score": c.score}
            for c in suggestion.categories
        ],
        "units": [
            {"id": u.unit.pk, "name": u.unit.name, "score": u.score, "reason": u.reason}
            for u in suggestion.units
        ],
    }


@router.post(
    "/suggest",
    response=SuggestOut,
    summary="智能派单建议：按诉求内容和地点推荐分类（至少5个）与承办单位",
)
def suggest(request: HttpRequest, payload: SuggestIn):
    require(request.user, "dispatch.suggest")
    ask = engine.clean_ask(
        content=payload.content,
        title=payload.title,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return suggestion_body(engine.suggest(ask, user=request.user, categories=5, units=3))
