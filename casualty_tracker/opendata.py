"""The data as open data: its licence, how to cite a page, and the schema.org Dataset. The one
home of each; the pages, the headers (casualty_tracker/headers.py) and the downloads read them.

- The licence is the `DATA_LICENCE` setting (name, URL; CC BY 4.0 by default): every page's
  footer (templates/includes/licence.html), every response's `Link: <url>; rel="license"`, the
  GeoJSON exports' "license" member and the Dataset.
- A citation (`Citation`) names the publisher (`SITE_NAME`), the title, the absolute URL, the
  date it was read and, for a month, the revision of its current publication and its date; as
  text, CSL-JSON and BibTeX (templates/includes/cite.html).
- The Dataset (`dataset()`) describes the whole public record with its downloads
  (templates/includes/dataset.html, on the home page and any downloads page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from claims import links
from claims.public import location_of


def site_name() -> str:
    """The publisher's name (`SITE_NAME`) in the reader's language: the catalogue translates the
    default name; a name of the deployer's own is shown as set."""
    return _(settings.SITE_NAME)


def licence() -> dict[str, str]:
    return {"name": settings.DATA_LICENCE["name"], "url": settings.DATA_LICENCE["url"]}


def licence_link() -> str:
    """The value of the Link header that names the licence (RFC 8288, rel="license")."""
    return f'<{settings.DATA_LICENCE["url"]}>; rel="license"'


def site(request) -> dict:
    """Context processor: the site's name and the data's licence, for every template."""
    return {"site": {"name": site_name(), "licence": licence()}}


# --- citations -------------------------------------------------------------------------------


def _parts(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


_BIBTEX_SPECIAL = re.compile(r"([\\{}#$%&_^~])")


def _bibtex(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda match: "\\" + match.group(1), text)


@dataclass(frozen=True)
class Citation:
    key: str  # an identifier: "claim-CIV-2017-0001", "report-2017-03"
    title: str
    url: str  # absolute
    accessed: date
    published: date | None = None
    revision: int | None = None

    @property
    def publisher(self) -> str:
        return site_name()

    @property
    def text(self) -> str:
        """The citation for people: publisher, title, revision and its date, URL, accessed."""
        parts = [f"{self.publisher}. “{self.title}”."]
        if self.revision is not None and self.published is not None:
            parts.append(
                _("Revision %(revision)s, published %(published)s.")
                % {"revision": self.revision, "published": date_format(self.published, "j M Y")}
            )
        parts.append(
            _("%(url)s (accessed %(accessed)s).")
            % {"url": self.url, "accessed": date_format(self.accessed, "j M Y")}
        )
        parts.append(_("Licence: %(licence)s.") % {"licence": settings.DATA_LICENCE["name"]})
        return " ".join(parts)

    def csl(self) -> dict:
        """CSL-JSON (Citation Style Language), what Zotero and citeproc read."""
        item = {
            "id": self.key,
            "type": "dataset",
            "title": self.title,
            "author": [{"literal": self.publisher}],
            "publisher": self.publisher,
            "URL": self.url,
            "accessed": _parts(self.accessed),
            "license": settings.DATA_LICENCE["url"],
        }
        if self.published is not None:
            item["issued"] = _parts(self.published)
        if self.revision is not None:
            item["version"] = str(self.revision)
        return item

    @property
    def bibtex(self) -> str:
        day = self.published or self.accessed
        fields = [
            ("author", "{" + _bibtex(self.publisher) + "}"),
            ("title", _bibtex(self.title)),
            ("publisher", _bibtex(self.publisher)),
            ("year", str(day.year)),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
        ]
        if self.revision is not None:
            fields.append(("version", str(self.revision)))
        fields.append(("note", _bibtex(f"Licence: {settings.DATA_LICENCE['name']}")))
        key = re.sub(r"[^A-Za-z0-9_-]", "-", self.key)
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{key},\n{body}\n}}"


def claim_citation(claim, request=None) -> Citation:
    return Citation(
        key=f"claim-{claim.claim_ref}",
        title=_("Claim %(ref)s: %(place)s, %(date)s")
        % {
            "ref": claim.claim_ref,
            "place": location_of(claim).place,  # as published, never the recorded one
            "date": date_format(claim.incident_date, "j M Y"),
        },
        url=links.absolute(links.claim_page(claim.claim_ref), request),
        accessed=timezone.localdate(),
    )


def month_citation(month, publication, path: str, request=None) -> Citation:
    """A month's report; `publication` its latest (reports.publishing.Publication), or None
    while it is provisional."""
    published = publication.published_at if publication else None
    if isinstance(published, datetime):
        published = timezone.localdate(published)
    return Citation(
        key=f"report-{month}",
        title=_("Monthly report: %(month)s") % {"month": month.label},
        url=links.absolute(path, request),
        accessed=timezone.localdate(),
        published=published,
        revision=publication.revision if publication else None,
    )


# --- the Dataset -----------------------------------------------------------------------------

# What the records cover (schema.org spatialCoverage).
COVERAGE = ("Iraq", "Syria")


def dataset(request=None, *, start=None, end=None) -> dict:
    """schema.org's Dataset (JSON-LD) of the whole public record: what Google's dataset search
    and other harvesters read. `start`, `end`: the first and last month of records (Month)."""
    base = links.site_base(request)
    lists = {
        "claims": ("text/csv", "csv"),
        "strikes": ("text/csv", "csv"),
        "assessments": ("text/csv", "csv"),
        "external-assessments": ("text/csv", "csv"),
    }
    distribution = [
        {
            "@type": "DataDownload",
            "name": f"{name}.{extension}",
            "encodingFormat": media_type,
            "contentUrl": f"{base}{reverse(f'api:{name[:-1]}-list')}?format={extension}",
        }
        for name, (media_type, extension) in lists.items()
    ]
    distribution += [
        {
            "@type": "DataDownload",
            "name": f"{name}.geojson",
            "encodingFormat": "application/geo+json",
            "contentUrl": f"{base}{reverse(f'api:{name[:-1]}-list')}?format=geojson",
        }
        for name in ("claims", "strikes")
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": site_name(),
        "description": _(
            "Claims of civilian harm from military strikes, the strikes they may concern, the "
            "assessments made of them with their reasons, and independent organisations' "
            "findings, with monthly figures traced back to the records."
        ),
        "url": f"{base}/",
        "license": settings.DATA_LICENCE["url"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": site_name(), "url": f"{base}/"},
        "spatialCoverage": [{"@type": "Place", "name": place} for place in COVERAGE],
        "distribution": distribution,
    }
    if start is not None and end is not None:
        data["temporalCoverage"] = f"{start}/{end}"
    return data
