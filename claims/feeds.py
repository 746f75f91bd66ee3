"""Atom feed of newly closed claims: an entry per closing assessment, newest first.

An approved assessment is what closes a claim (claims.workflow: APPROVE and RECORD move it to
the closed stage), so the entries are the approved assessments the API publishes
(`querysets.public_assessments`, public columns only); a claim reopened and assessed again has
an entry for each closing. Each links to its event on the claim's page.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import links
from .api.querysets import public_assessments
from .models import Assessment
from .public import location_of

ENTRIES = 50  # the latest closings


class ClosedClaimsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Civilian-harm claims tracker: claims closed")
    subtitle = gettext_lazy(
        "Each approved assessment that closed a claim: credible, non-credible or duplicate."
    )
    link = reverse_lazy("claims:list")

    def items(self):
        return public_assessments().order_by("-assessed_on", "-id")[:ENTRIES]

    def item_title(self, item: Assessment) -> str:
        return _("Claim %(ref)s closed: %(outcome)s") % {
            "ref": item.claim.claim_ref,
            "outcome": item.get_outcome_display().lower(),
        }

    def item_description(self, item: Assessment) -> str:
        parts = [
            _("Civilian harm alleged in %(place)s on %(date)s.")
            % {"place": location_of(item.claim).place, "date": item.claim.incident_date.isoformat()}
        ]
        if item.reason:
            parts.append(_("Reason: %(reason)s.") % {"reason": item.get_reason_display()})
        if item.duplicate_of_id:
            parts.append(_("Duplicate of %(ref)s.") % {"ref": item.duplicate_of.claim_ref})
        if item.civilians_killed is not None:
            parts.append(
                _("Civilians killed: %(killed)d; injured: %(injured)d.")
                % {"killed": item.civilians_killed, "injured": item.civilians_injured or 0}
            )
        if item.rationale:
            parts += item.rationale.splitlines()
        # Atom's summary is HTML: each part a paragraph, escaped (a rationale is plain text).
        return format_html_join("", "<p>{}</p>", ((part,) for part in parts if part.strip()))

    def item_link(self, item: Assessment) -> str:
        return links.assessment_page(item.claim.claim_ref, item.sequence)

    def item_pubdate(self, item: Assessment) -> datetime:
        # Only the assessment's date is public (when it was decided is internal).
        return datetime.combine(item.assessed_on, time(), tzinfo=timezone.get_default_timezone())

    def item_updateddate(self, item: Assessment) -> datetime:
        return self.item_pubdate(item)
