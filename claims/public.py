"""What is public: one allow-list of fields per model, and the QuerySet methods that load only them.

Every public channel (the API and its CSV and GeoJSON exports, the claims pages, the map, the
monthly figures) reads records through `.public()` (or `Victim.objects.published()`), which loads
the allow-listed columns and nothing else. A field is private until it is listed in PUBLIC: a new
field is in neither list until someone decides, and tests/claims/test_public.py fails until then.
"""

from django.db import models
from django.db.models import F

# Models with no public channel at all: the reviewers' discussion, uploads awaiting approval,
# the admin's import jobs (the files and their errors).
NEVER_PUBLIC = frozenset({"claimcomment", "assessmentbatch", "importjob"})

# Model name -> the fields anyone may read. Relations are listed by their field name; the rows
# they point to are public through their own model's list.
PUBLIC: dict[str, tuple[str, ...]] = {
    "belligerent": ("id", "name"),
    "strike": (
        "id",
        "strike_ref",
        "date",
        "belligerent",
        "country",
        "province",
        "locality",
        "latitude",
        "longitude",
        "precision",
        "target",
        "munition",
        "engagements",
        "source_url",
    ),
    "claim": (
        "id",
        "claim_ref",
        "received_on",
        "incident_date",
        "country",
        "province",
        "locality",
        "latitude",
        "longitude",
        "precision",
        "source_type",
        "source_name",
        "source_url",
        "civilians_killed_min",
        "civilians_killed_max",
        "civilians_injured_min",
        "civilians_injured_max",
        "killed_children",
        "killed_women",
        "killed_men",
        "belligerent",
        "strikes",
        "summary",
        "locality_ar",
        "summary_ar",
        "status",
    ),
    # Only approved assessments are published (Assessment.objects.counted()).
    "assessment": (
        "id",
        "claim",
        "sequence",
        "outcome",
        "reason",
        "duplicate_of",
        "civilians_killed",
        "civilians_injured",
        "rationale",
        "rationale_ar",
        "assessed_on",
        "diligence_strike_video",
        "diligence_personnel_interviewed",
        "diligence_local_language_search",
        "diligence_map_search",
        "diligence_witness_interviewed",
        "diligence_site_visit",
        "diligence_ngo_information",
    ),
    "reopening": ("id", "claim", "assessment", "sequence", "reopened_on", "reason"),
    # Only victims whose identity was published (Victim.objects.published()).
    "victim": ("id", "claim", "name", "name_ar", "age", "sex", "harm"),
    "externalassessment": (
        "id",
        "claim",
        "organisation",
        "grade",
        "civilians_killed_min",
        "civilians_killed_max",
        "assessed_on",
        "url",
    ),
}

# Model name -> the fields that are never published: the reviewers' workflow, who did what,
# internal notes, bookkeeping. Together with PUBLIC, every field of every model above.
PRIVATE: dict[str, tuple[str, ...]] = {
    "belligerent": ("created_at",),
    "strike": ("created_at", "updated_at"),
    "claim": (
        "confidential_notes",
        "stage",
        "assignee",
        "version",
        "created_at",
        "updated_at",
        # Derived from public fields for the search (claims.search); read by no output.
        "search_text",
    ),
    "assessment": (
        "state",
        "assessed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
        "return_comment",
        "batch",
        "version",
        "created_at",
        "search_text",  # derived from the rationales for the search (claims.search)
    ),
    "reopening": ("reopened_by", "batch", "created_at"),
    "victim": ("public",),
    "externalassessment": ("created_at",),
}


def public_fields(model: type[models.Model], prefix: str = "") -> list[str]:
    """The public columns of `model` (for `only()`), each after `prefix` ("claim__")."""
    opts = model._meta
    return [
        f"{prefix}{name}"
        for name in PUBLIC[opts.model_name]
        if not opts.get_field(name).many_to_many
    ]


class PublicQuerySet(models.QuerySet):
    def public(self, *related: str):
        """The rows with their public columns only, and those of the `related` rows joined
        (select_related paths, e.g. "claim", "claim__belligerent")."""
        columns = public_fields(self.model)
        for path in related:
            model = self.model
            for name in path.split("__"):
                model = model._meta.get_field(name).related_model
            columns += public_fields(model, f"{path}__")
        # select_related() without arguments would join every relation: only when asked.
        queryset = self.select_related(*related) if related else self
        return queryset.only(*columns)


def claim_position(prefix: str = "") -> tuple[F, F]:
    """Where a claim is shown publicly, as (latitude, longitude) expressions of the claim at
    `prefix` ("claim__"): the map's clusters, its lists and the `bbox` filter read it here, so a
    rule about disclosing coordinates changes this one function. Today: as recorded."""
    return F(f"{prefix}latitude"), F(f"{prefix}longitude")
