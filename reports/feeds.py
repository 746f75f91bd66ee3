"""Atom feed of the monthly reports: an entry per publication (each revision of a month)."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MonthPublication
from .month_pages import month_url
from .periods import Month

ENTRIES = 50  # the latest publications


class MonthPublicationsFeed(Feed):
    """Newest first; a revision is a new entry with its own id, linking to the month's page.
    Only the period, revision and date of a publication: who published it stays internal."""

    feed_type = Atom1Feed
    title = gettext_lazy("Civilian-harm claims tracker: monthly reports published and revised")
    subtitle = gettext_lazy("Each publication of a monthly report, and each revision of one.")
    link = reverse_lazy("reports:list")

    def get_object(self, request, *args, **kwargs):
        return request  # for the entries' ids, which are absolute (Atom) and not their links

    def items(self, request):
        publications = list(
            MonthPublication.objects.only("period", "revision", "published_at").order_by(
                "-published_at", "-period", "-revision"
            )[:ENTRIES]
        )
        for publication in publications:
            link = request.build_absolute_uri(self.item_link(publication))
            publication.entry_id = f"{link}#revision-{publication.revision}"
        return publications

    def item_title(self, item: MonthPublication) -> str:
        month = Month.parse(item.period)
        if item.revision == 1:
            return _("Report for %(month)s published") % {"month": month.label}
        return _("Report for %(month)s revised: revision %(revision)d") % {
            "month": month.label,
            "revision": item.revision,
        }

    def item_description(self, item: MonthPublication) -> str:
        # Plain words and numbers only: nothing to escape in Atom's HTML summary.
        return _("Revision %(revision)d of the report for %(month)s, published %(date)s.") % {
            "revision": item.revision,
            "month": Month.parse(item.period).label,
            "date": item.published_at.date().isoformat(),
        }

    def item_link(self, item: MonthPublication) -> str:
        return month_url(Month.parse(item.period))

    def item_guid(self, item: MonthPublication) -> str:
        return item.entry_id

    item_guid_is_permalink = False

    def item_pubdate(self, item: MonthPublication) -> datetime:
        return item.published_at

    def item_updateddate(self, item: MonthPublication) -> datetime:
        return item.published_at
