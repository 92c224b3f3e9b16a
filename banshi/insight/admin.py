"""Admin: the assistant's models, decisions, proposals and topics are read-only here — they
change only through the insight services (training, dispatch, review)."""

from __future__ import annotations

from django.contrib import admin

from banshi.core.admin import ReadOnlyAdmin
from banshi.insight.models import CategoryModel, DispatchDecision, MonthlyTopic, Proposal


@admin.register(CategoryModel)
class CategoryModelAdmin(ReadOnlyAdmin):
    list_display = ["version", "trained_at", "lexicon_samples", "history_samples", "classes"]
    exclude = ["blob"]


@admin.register(DispatchDecision)
class DispatchDecisionAdmin(ReadOnlyAdmin):
    list_display = ["order", "action", "decided_at", "model_version", "category_rank", "unit_rank"]
    list_filter = ["action", "model_version"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "count", "detected_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]


@admin.register(MonthlyTopic)
class MonthlyTopicAdmin(ReadOnlyAdmin):
    list_display = ["month", "title", "lead_unit", "deadline", "project"]
