"""Report endpoints: the monthly series, one month, the running totals and the comparison of
official and independent findings. Thin views over reports.figures / series / comparison."""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from casualty_tracker import data_version
from casualty_tracker.conditional import CachedResponseMixin
from claims.api.renderers import CSVRenderer
from claims.api.views import JSONErrors
from claims.definitions import Diligence, Outcome, Reason, SourceType

from .catalogue import Group, Unit, figures_in
from .comparison import comparison_figures
from .figures import month_figures
from .periods import Month
from .revisions import month_revision, month_revisions, release_manifest
from .series import month_series, month_totals
from .summary import summary

# The serializers below only document the responses (the data are the plain dicts of
# reports.figures); tests/api check the responses against the schema. Every figure's field is
# described from the figure catalogue.
Count = serializers.IntegerField


def figure_fields(group: Group) -> dict[str, serializers.Field]:
    """A serializer field per figure of the group, typed by its unit, described by its label
    and definition."""
    return {
        figure.name: (
            serializers.FloatField
            if figure.unit in (Unit.PERCENTAGE, Unit.RATIO)
            else serializers.IntegerField
        )(
            allow_null=figure.is_nullable,
            help_text=format_lazy("{}. {}", figure.label, figure.definition),
        )
        for figure in figures_in(group)
    }


CumulativeSerializer = type(
    "CumulativeSerializer", (serializers.Serializer,), figure_fields(Group.CUMULATIVE)
)
MonthTotalsSerializer = type(
    "MonthTotalsSerializer",
    (serializers.Serializer,),
    {
        "period": serializers.CharField(help_text="The month, YYYY-MM."),
        **figure_fields(Group.MONTHLY),
        "cumulative": CumulativeSerializer(),
    },
)


class AssessedClaimSerializer(serializers.Serializer):
    claim_ref = serializers.CharField()
    incident_date = serializers.DateField()
    received_on = serializers.DateField()
    assessed_on = serializers.DateField()
    place = serializers.CharField()
    locality = serializers.CharField()
    province = serializers.CharField()
    country = serializers.CharField()
    source_type = serializers.ChoiceField(SourceType.choices)
    alleged_civilians_killed_min = Count(allow_null=True)
    alleged_civilians_killed_max = Count(allow_null=True)
    civilians_killed = Count(allow_null=True)
    civilians_injured = Count(allow_null=True)
    reason = serializers.ChoiceField(Reason.choices, allow_null=True)
    reason_label = serializers.CharField(allow_null=True)
    duplicate_of = serializers.CharField(allow_null=True)
    rationale = serializers.CharField()
    diligence = serializers.ListField(child=serializers.ChoiceField(Diligence.choices))


class ReopenedClaimSerializer(serializers.Serializer):
    claim_ref = serializers.CharField()
    incident_date = serializers.DateField()
    reopened_on = serializers.DateField()
    place = serializers.CharField()
    country = serializers.CharField()
    previous_outcome = serializers.ChoiceField(Outcome.choices)
    previous_assessed_on = serializers.DateField()
    reason = serializers.CharField()


class MonthFiguresSerializer(MonthTotalsSerializer):
    credible_claims = AssessedClaimSerializer(many=True)
    non_credible_claims = AssessedClaimSerializer(many=True)
    duplicate_claims = AssessedClaimSerializer(many=True)
    reopened_claims = ReopenedClaimSerializer(many=True)


class MonthlySeriesSerializer(serializers.Serializer):
    months = MonthTotalsSerializer(many=True)


class SummarySerializer(CumulativeSerializer):
    as_of = serializers.DateField(help_text="Today: the figures count every record to date.")
    period = serializers.CharField(help_text="The current month, YYYY-MM.")


OrganisationComparisonSerializer = type(
    "OrganisationComparisonSerializer",
    (serializers.Serializer,),
    {"organisation": serializers.CharField(), **figure_fields(Group.COMPARISON)},
)


class ComparisonSerializer(serializers.Serializer):
    harm_grades = serializers.ListField(child=serializers.CharField())
    organisations = OrganisationComparisonSerializer(many=True)
    caveat = serializers.CharField(help_text="What the comparison does and does not show.")


class RevisionSummarySerializer(serializers.Serializer):
    period = serializers.CharField(help_text="The month, YYYY-MM.")
    revision = serializers.IntegerField(help_text="1 for the first publication, then 2, 3...")
    published_at = serializers.DateTimeField()
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        help_text=(
            "SHA-256 (lowercase hex) of the canonical JSON of the revision's `figures`: keys "
            "sorted, separators ',' and ':', no whitespace, UTF-8 (see the README)."
        ),
    )
    url = serializers.CharField(help_text="The revision's public page (a path on this site).")
    api_url = serializers.CharField(help_text="The revision's API record (a path on this site).")


class FigureChangeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='A figure, or "cumulative.<figure>".')
    label = serializers.CharField()
    before = serializers.FloatField(allow_null=True, help_text="In the revision before.")
    after = serializers.FloatField(allow_null=True, help_text="In this revision.")


class ListChangeSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        ["credible_claims", "non_credible_claims", "duplicate_claims", "reopened_claims"]
    )
    label = serializers.CharField()
    added = serializers.ListField(child=serializers.CharField(), help_text="Claim refs.")
    removed = serializers.ListField(child=serializers.CharField(), help_text="Claim refs.")


class RevisionChangesSerializer(serializers.Serializer):
    figures = FigureChangeSerializer(many=True)
    lists = ListChangeSerializer(many=True)


class RevisionSerializer(RevisionSummarySerializer):
    previous_revision = serializers.IntegerField(allow_null=True)
    changes = RevisionChangesSerializer(
        allow_null=True,
        help_text="What changed from the previous revision; null for revision 1.",
    )
    figures = MonthFiguresSerializer(
        help_text="The month's figures and lists exactly as published (frozen)."
    )


class MonthRevisionsSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="The month, YYYY-MM.")
    revisions = RevisionSummarySerializer(many=True, help_text="Oldest first.")


class ReleasesSerializer(serializers.Serializer):
    releases = RevisionSummarySerializer(
        many=True, help_text="Every publication of every month, newest first. Complete."
    )


def api_month(period: str) -> Month:
    """The month of a path, or a 404 naming what is wrong."""
    try:
        month = Month.parse(period)
    except ValueError as error:
        raise NotFound(str(error)) from None
    if not Month(1, 1) <= month < Month(9999, 12):  # the calendar's (datetime's) range
        raise NotFound(f"Period {period!r} is out of range: 0001-01 to 9999-11.")
    return month


PERIOD_PARAMETER = OpenApiParameter(
    "period", str, OpenApiParameter.PATH, description="The month, YYYY-MM."
)


class ReportView(CachedResponseMixin, JSONErrors, APIView):
    """The figures are the same for every reader: an anonymous answer is kept in the cache until
    the records change (casualty_tracker.conditional)."""


class MonthlySeriesView(ReportView):
    """Every month from the first record to the current month (or the last month with data, if
    later), with the month's figures (as in one month's report, without its lists of claims).
    Not paginated. `?format=csv`: one row per month, nested figures as `cumulative.<name>`."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        operation_id="reports_monthly_list",
        responses={
            (200, "application/json"): MonthlySeriesSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        months = [month_totals(figures) for figures in month_series()]
        if isinstance(request.accepted_renderer, CSVRenderer):
            return Response(months)
        return Response({"months": months})


class MonthView(ReportView):
    """One month's figures and lists: exactly `manage.py monthly_report YYYY-MM --json`."""

    @extend_schema(
        operation_id="reports_monthly_retrieve",
        parameters=[PERIOD_PARAMETER],
        responses=MonthFiguresSerializer,
    )
    def get(self, request, period: str):
        month = api_month(period)
        figures = data_version.cached(
            "month-figures", lambda: month_figures(period=month).as_dict(), month
        )
        return Response(figures)


class SummaryView(ReportView):
    """The running totals to date: the current month's cumulative figures."""

    @extend_schema(responses=SummarySerializer)
    def get(self, request):
        return Response(summary())


class ComparisonView(ReportView):
    """Official versus independent findings, per organisation, on the claims each graded.
    Read the `caveat` before quoting it."""

    @extend_schema(responses=ComparisonSerializer)
    def get(self, request):
        return Response(data_version.cached("comparison", comparison_figures))


class MonthRevisionsView(ReportView):
    """Every published revision of one month, oldest first, without their figures (an empty list
    for a month never published). Each names its SHA-256 and where its record is."""

    @extend_schema(
        operation_id="reports_monthly_revisions_list",
        parameters=[PERIOD_PARAMETER],
        responses=MonthRevisionsSerializer,
    )
    def get(self, request, period: str):
        month = api_month(period)
        revisions = [revision.as_dict() for revision in month_revisions(month)]
        return Response({"period": str(month), "revisions": revisions})


class MonthRevisionView(ReportView):
    """One published revision of a month, frozen: its figures and lists exactly as published
    (never the current ones), their SHA-256 and what changed from the revision before. A
    revision that was never published is a 404."""

    @extend_schema(
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter("revision", int, OpenApiParameter.PATH, description="1, 2, 3..."),
        ],
        responses=RevisionSerializer,
    )
    def get(self, request, period: str, revision: int):
        month = api_month(period)
        found = month_revision(month, revision)
        if found is None:
            raise NotFound(
                _("Revision %(revision)s of %(period)s is not published.")
                % {"revision": revision, "period": month}
            )
        return Response(found.as_dict())


class ReleasesView(ReportView):
    """The release manifest: every publication of every month (period, revision, date, SHA-256,
    page and record), newest first. Complete: not paginated."""

    @extend_schema(responses=ReleasesSerializer)
    def get(self, request):
        return Response({"releases": [release.as_dict() for release in release_manifest()]})
