"""The querysets the API and the public pages publish: approved findings only, public columns
only (`claims.public`), every join made here.

Serializers read annotations and prefetched attributes and never query, so every list answers in
a constant number of queries whatever its length.
"""

from django.db import connection
from django.db.models import Aggregate, CharField, Exists, OuterRef, Prefetch, Subquery
from django.db.models.fields.reverse_related import ManyToManyRel
from rest_framework.exceptions import NotFound

from ..models import Assessment, Belligerent, Claim, ExternalAssessment, Reopening, Strike, Victim
from ..public import with_location


def as_id(value: str) -> int | None:
    """A database id from a URL or query value; None unless plain digits within BIGINT."""
    if value.isascii() and value.isdigit() and int(value) < 2**63:
        return int(value)
    return None


def row_or_404(queryset, *, field: str, value: str, key: str):
    """The row of `queryset` whose `field` is the URL's `value` (a database id when `field` is
    "pk"), or a 404 that names what was not found: "No claim with claim_ref 'X'."."""
    lookup = as_id(value) if field == "pk" else value
    try:
        if lookup is None:
            raise queryset.model.DoesNotExist
        return queryset.get(**{field: lookup})
    except queryset.model.DoesNotExist:
        what = queryset.model._meta.verbose_name
        raise NotFound(f"No {what} with {key} {value!r}.") from None


def latest_approved(claim: str = "pk"):
    """The approved assessments of the claim at OuterRef(claim), latest first."""
    return Assessment.objects.counted().filter(claim=OuterRef(claim)).order_by("-sequence")


def latest_outcome(claim: str = "pk") -> Subquery:
    return Subquery(latest_approved(claim).values("outcome")[:1])


def annotate_latest_assessment(queryset, claim: str = "pk"):
    """The claim's current official finding: its latest approved assessment (none: nulls)."""
    latest = latest_approved(claim)
    return queryset.annotate(
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        latest_reason=Subquery(latest.values("reason")[:1]),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]),
        latest_killed=Subquery(latest.values("civilians_killed")[:1]),
        latest_injured=Subquery(latest.values("civilians_injured")[:1]),
    )


def linked(model, via: str, ref_field: str, value: str, outer: str = "pk") -> Exists:
    """Exists(a row of `model` whose `ref_field` is `value` and whose `via` is OuterRef(outer)):
    a filter across a many-to-many link without a join that would repeat rows."""
    return Exists(model.objects.filter(**{via: OuterRef(outer), ref_field: value}))


# A ref never contains "/" (claims.models.REF_NO_SLASH): refs joined with it split back exactly.
REF_SEPARATOR = "/"


class JoinedRefs(Aggregate):
    """The refs of a group joined with "/", in ref order on PostgreSQL (STRING_AGG ... ORDER BY);
    SQLite's GROUP_CONCAT cannot order before 3.44, so `refs_splitter` sorts them there (SQLite's
    default collation is by code point, as Python's sort)."""

    function = "GROUP_CONCAT"
    template = f"%(function)s(%(expressions)s, '{REF_SEPARATOR}')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template=f"%(function)s(%(expressions)s, '{REF_SEPARATOR}' ORDER BY %(expressions)s)",
            **extra_context,
        )


def linked_refs(model, relation: str, ref: str) -> Subquery:
    """The `ref` of each row linked to the outer row of `model` through the many-to-many
    `relation` (either side), joined into one text value (`refs_splitter` reads it): one subquery
    per row in the same query, instead of a prefetch query per page or chunk, so an export
    streams each row as it comes."""
    field = model._meta.get_field(relation)
    if isinstance(field, ManyToManyRel):  # the other model declares the link
        through = field.through
        source, target = field.field.m2m_reverse_field_name(), field.field.m2m_field_name()
    else:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    joined = (
        through.objects.filter(**{source: OuterRef("pk")})
        .order_by()
        .values(source)
        .annotate(refs=JoinedRefs(f"{target}__{ref}"))
        .values("refs")
    )
    return Subquery(joined, output_field=CharField())


def _in_order(value: str | None) -> list[str]:
    return value.split(REF_SEPARATOR) if value else []


def _sorted(value: str | None) -> list[str]:
    return sorted(value.split(REF_SEPARATOR)) if value else []


def refs_splitter():
    """The function of a value of `linked_refs` to its refs, as a list in ref order: for the
    database of the moment, looked up once for many rows."""
    return _in_order if connection.vendor == "postgresql" else _sorted


def public_belligerents():
    return Belligerent.objects.public().with_counts()


def public_strikes():
    # Prefetched into lists (to_attr): no related manager per row, which halves export time.
    return Strike.objects.public("belligerent").prefetch_related(
        Prefetch(
            "claims",
            queryset=Claim.objects.only("pk", "claim_ref").order_by("claim_ref"),
            to_attr="claim_list",
        )
    )


def public_claims(*, detail: bool = False):
    """Claims with their published location (public_latitude...: claims.public.with_location),
    which is what every public channel shows, filters and searches, never the recorded one."""
    queryset = annotate_latest_assessment(
        with_location(Claim.objects.public("belligerent")).prefetch_related(
            Prefetch(
                "strikes",
                queryset=Strike.objects.only("pk", "strike_ref").order_by("strike_ref"),
                to_attr="strike_list",
            )
        )
    )
    if not detail:
        return queryset
    # Filtered relations under their own names: the unfiltered ones are never read.
    return queryset.prefetch_related(
        Prefetch(
            "victims",
            queryset=Victim.objects.published(),
            to_attr="public_victims",
        ),
        Prefetch(
            "assessments",
            queryset=public_assessments().order_by("sequence"),
            to_attr="approved_assessments",
        ),
        Prefetch(
            "reopenings",
            queryset=Reopening.objects.public("assessment").order_by("sequence"),
            to_attr="public_reopenings",
        ),
        Prefetch(
            "external_assessments",
            queryset=ExternalAssessment.objects.public(),
            to_attr="public_external_assessments",
        ),
    )


def public_assessments():
    """Approved assessments only: proposals and returned drafts are never published."""
    return with_location(
        Assessment.objects.counted().public("claim", "duplicate_of", "reopening"), "claim__"
    )


def public_external_assessments():
    return with_location(ExternalAssessment.objects.public("claim"), "claim__").annotate(
        official_outcome=latest_outcome("claim_id")
    )


def public_claim_page():
    """One claim as its public page shows it: the API's detail (`public_claims(detail=True)`),
    plus each linked strike's facts and the approved assessments of other claims that found
    them duplicates of it."""
    return public_claims(detail=True).prefetch_related(
        Prefetch(
            "strikes",
            queryset=Strike.objects.public("belligerent").order_by("date", "strike_ref"),
            to_attr="linked_strikes",
        ),
        Prefetch(
            "duplicated_by",
            queryset=Assessment.objects.counted()
            .public("claim", "reopening")
            .order_by("assessed_on", "claim__claim_ref"),
            to_attr="duplicate_reports",
        ),
    )


def public_strike_page():
    """One strike as its public page shows it: its facts and belligerent, then the claims
    linked to it with their current official finding (as the claims list shows them)."""
    return Strike.objects.public("belligerent").prefetch_related(
        Prefetch(
            "claims",
            queryset=public_claims().prefetch_related(None).order_by("incident_date", "claim_ref"),
            to_attr="linked_claims",
        )
    )
