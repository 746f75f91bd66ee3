"""Output serializers: the public form of each record. Explicit field lists only, never
"__all__": a new (possibly confidential) field is not published until it is listed here.

They read annotations and prefetched attributes made in `claims/api/querysets.py` and never
query. Write-side input serializers will be separate classes.
"""

from operator import attrgetter

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import links
from ..definitions import Diligence, Grade, Harm, LocationDisclosure, Outcome, Reason, Sex
from ..models import Assessment, Belligerent, Claim, ExternalAssessment, Reopening, Strike, Victim


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice stored as "" when not applicable (a reason on a credible finding): null."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) if value else None


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class OptionalURLField(serializers.CharField):
    """A URL, or "" when there is none (anyOf: both match "" unless formats are checked)."""


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class RefList(serializers.Field):
    """The refs of a prefetched list of related rows: ["S-1", "S-2"]. Lists read them from the
    many-to-many `relation` in SQL instead (claims.api.rows)."""

    def __init__(self, ref: str, *, relation: str, **kwargs):
        self.ref = ref
        self.relation = relation
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return [getattr(row, self.ref) for row in value]


@extend_schema_field({"type": "string", "format": "uri"})
class Link(serializers.Field):
    """An absolute address (claims.links): `path` of the values at `sources` (dotted attributes
    of the record), after the request's scheme and host. Lists read the sources as columns
    (claims.api.rows)."""

    def __init__(self, path, *sources: str, **kwargs):
        self.path = path
        self.sources = sources
        self.getters = [attrgetter(source) for source in sources]
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        path = self.path(*(getter(instance) for getter in self.getters))
        return links.absolute(path, self.context.get("request"))


PAGE = "Its public page."
RECORD = "Its record in this API."
CLAIM_REF = "The claim's ref (claim_ref)."
# An external assessment's `url` (the import contract's column); its page here is `page_url`.
SOURCE_LINK = "The organisation's own publication of its finding."


class Steps(serializers.ListField):
    """The diligence steps an assessment took (`Assessment.diligence`); lists read them from
    their boolean `columns` (claims.api.rows)."""

    tokens = tuple(Diligence.values)  # read once: the enum builds the list at every access
    columns = [f"diligence_{token}" for token in tokens]

    def __init__(self, **kwargs):
        super().__init__(child=serializers.ChoiceField(Diligence.choices), **kwargs)

    @staticmethod
    def from_columns(flags: tuple) -> list[str]:
        return [token for token, taken in zip(Steps.tokens, flags, strict=True) if taken]


class Output(serializers.ModelSerializer):
    # Every field read-only: these serializers only ever publish. (A comment, not a docstring:
    # a docstring would become the description of every schema component.)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class BelligerentSerializer(Output):
    strikes_count = serializers.IntegerField(help_text="Strikes recorded for it.")
    claims_count = serializers.IntegerField(help_text="Claims that name it as suspected.")
    url = Link(links.belligerent_page, "id", help_text="The public list of the claims naming it.")
    api_url = Link(links.api_record("belligerent"), "id", help_text=RECORD)

    class Meta:
        model = Belligerent
        fields = ["id", "name", "strikes_count", "claims_count", "url", "api_url"]


class StrikeSerializer(Output):
    source_url = OptionalURLField()
    belligerent = serializers.CharField(source="belligerent.name")
    belligerent_id = serializers.IntegerField()
    claims = RefList(
        "claim_ref", relation="claims", source="claim_list", help_text="Claims linked to it."
    )
    url = Link(links.strike_page, "strike_ref", help_text=PAGE)
    api_url = Link(links.api_record("strike"), "strike_ref", help_text=RECORD)

    class Meta:
        model = Strike
        fields = [
            "strike_ref",
            "date",
            "belligerent",
            "belligerent_id",
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
            "claims",
            "url",
            "api_url",
        ]


class ClaimSerializer(Output):
    source_url = OptionalURLField()
    belligerent = serializers.CharField(
        source="belligerent.name", allow_null=True, help_text="The suspected belligerent."
    )
    belligerent_id = serializers.IntegerField(allow_null=True)
    strikes = RefList(
        "strike_ref", relation="strikes", source="strike_list", help_text="Linked strikes."
    )
    outcome = BlankAsNullChoiceField(
        Outcome.choices,
        source="latest_outcome",
        help_text=(
            "Outcome of the claim's latest approved assessment; null if never assessed. A claim "
            "reopened for re-assessment keeps it while its status is open."
        ),
    )
    reason = BlankAsNullChoiceField(
        Reason.choices, source="latest_reason", help_text="Reason of a non-credible outcome."
    )
    assessed_on = serializers.DateField(
        source="latest_assessed_on", allow_null=True, help_text="Date of that assessment."
    )
    assessed_civilians_killed = serializers.IntegerField(
        source="latest_killed", allow_null=True, help_text="Civilians killed, if credible."
    )
    assessed_civilians_injured = serializers.IntegerField(
        source="latest_injured", allow_null=True, help_text="Civilians injured, if credible."
    )
    url = Link(links.claim_page, "claim_ref", help_text=PAGE)
    api_url = Link(links.api_record("claim"), "claim_ref", help_text=RECORD)

    # The location as published (claims.public.claim_location), never as recorded.
    province = serializers.CharField(source="public_province", help_text=_("Province, if shown."))
    locality = serializers.CharField(source="public_locality", help_text=_("Locality, if shown."))
    locality_ar = serializers.CharField(
        source="public_locality_ar", help_text=_("Locality in Arabic, if shown.")
    )
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        source="public_latitude",
        min_value=-90,
        max_value=90,
        allow_null=True,
        help_text=_("Null when withheld or not recorded; see location_disclosure."),
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        source="public_longitude",
        min_value=-180,
        max_value=180,
        allow_null=True,
        help_text=_("Null when withheld or not recorded; see location_disclosure."),
    )
    location_disclosure = serializers.ChoiceField(
        LocationDisclosure.choices,
        help_text=_("How much of the claim's location is published."),
    )

    class Meta:
        model = Claim
        fields = [
            "claim_ref",
            "received_on",
            "incident_date",
            "country",
            "province",
            "locality",
            "locality_ar",
            "latitude",
            "longitude",
            "precision",
            "location_disclosure",
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
            "belligerent_id",
            "summary",
            "summary_ar",
            "strikes",
            "status",
            "outcome",
            "reason",
            "assessed_on",
            "assessed_civilians_killed",
            "assessed_civilians_injured",
            "url",
            "api_url",
        ]


class AssessmentSerializer(Output):
    """An approved assessment (the only kind published)."""

    claim = serializers.CharField(source="claim.claim_ref", help_text=CLAIM_REF)
    reason = BlankAsNullChoiceField(Reason.choices)
    duplicate_of = serializers.CharField(
        source="duplicate_of.claim_ref", allow_null=True, help_text="Duplicates only."
    )
    diligence = Steps(help_text="The steps it took.")
    reopened_on = serializers.DateField(
        source="reopening.reopened_on",
        allow_null=True,
        help_text="If the claim was later reopened from this finding, when.",
    )
    incident_date = serializers.DateField(source="claim.incident_date")
    received_on = serializers.DateField(source="claim.received_on")
    country = serializers.CharField(source="claim.country")
    # The claim's location as published (claims.public.with_location).
    province = serializers.CharField(source="public_province")
    locality = serializers.CharField(source="public_locality")
    locality_ar = serializers.CharField(
        source="public_locality_ar", help_text=_("Locality in Arabic, if shown.")
    )
    url = Link(
        links.assessment_page,
        "claim.claim_ref",
        "sequence",
        help_text="Its place in its claim's public history.",
    )
    api_url = Link(links.api_record("assessment"), "id", help_text=RECORD)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "claim",
            "sequence",
            "assessed_on",
            "outcome",
            "reason",
            "duplicate_of",
            "civilians_killed",
            "civilians_injured",
            "rationale",
            "rationale_ar",
            "diligence",
            "reopened_on",
            "incident_date",
            "received_on",
            "country",
            "province",
            "locality",
            "locality_ar",
            "url",
            "api_url",
        ]


class ExternalAssessmentSerializer(Output):
    url = OptionalURLField(help_text=SOURCE_LINK)
    claim = serializers.CharField(source="claim.claim_ref", help_text=CLAIM_REF)
    grade = serializers.ChoiceField(Grade.choices)
    official_outcome = BlankAsNullChoiceField(
        Outcome.choices, help_text="Outcome of the claim's latest approved assessment."
    )
    # `url` is the organisation's own publication (the import contract's column): the page here
    # is `page_url`.
    page_url = Link(
        links.external_page,
        "claim.claim_ref",
        "id",
        help_text="Its row on its claim's public page.",
    )
    api_url = Link(links.api_record("external-assessment"), "id", help_text=RECORD)

    class Meta:
        model = ExternalAssessment
        fields = [
            "id",
            "claim",
            "organisation",
            "grade",
            "civilians_killed_min",
            "civilians_killed_max",
            "assessed_on",
            "url",
            "official_outcome",
            "page_url",
            "api_url",
        ]


class PublicVictimSerializer(Output):
    """Only victims whose identity was published, and only these facts (the name in both
    scripts)."""

    sex = serializers.ChoiceField(Sex.choices)
    harm = serializers.ChoiceField(Harm.choices)

    class Meta:
        model = Victim
        fields = ["name", "name_ar", "age", "sex", "harm"]


class ClaimAssessmentSerializer(AssessmentSerializer):
    class Meta(AssessmentSerializer.Meta):
        fields = [
            "id",
            "sequence",
            "assessed_on",
            "outcome",
            "reason",
            "duplicate_of",
            "civilians_killed",
            "civilians_injured",
            "rationale",
            "rationale_ar",
            "diligence",
            "reopened_on",
            "url",
            "api_url",
        ]


class ReopeningSerializer(Output):
    reopens = serializers.IntegerField(
        source="assessment.sequence", help_text="Sequence of the assessment it reopened."
    )

    class Meta:
        model = Reopening
        fields = ["sequence", "reopened_on", "reason", "reopens"]


class ClaimExternalSerializer(Output):
    url = OptionalURLField(help_text=SOURCE_LINK)
    page_url = Link(links.external_page, "claim.claim_ref", "id", help_text=PAGE)
    api_url = Link(links.api_record("external-assessment"), "id", help_text=RECORD)

    class Meta:
        model = ExternalAssessment
        fields = [
            "id",
            "organisation",
            "grade",
            "civilians_killed_min",
            "civilians_killed_max",
            "assessed_on",
            "url",
            "page_url",
            "api_url",
        ]


class ClaimDetailSerializer(ClaimSerializer):
    """One claim with its public history: approved assessments and reopenings in order, the
    published victims and the independent findings."""

    victims = PublicVictimSerializer(many=True, source="public_victims")
    assessments = ClaimAssessmentSerializer(many=True, source="approved_assessments")
    reopenings = ReopeningSerializer(many=True, source="public_reopenings")
    external_assessments = ClaimExternalSerializer(many=True, source="public_external_assessments")

    class Meta(ClaimSerializer.Meta):
        fields = [
            *ClaimSerializer.Meta.fields,
            "assessments",
            "reopenings",
            "victims",
            "external_assessments",
        ]
