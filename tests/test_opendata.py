"""The data as open data on the pages (casualty_tracker/opendata.py): the licence in every
footer, Open Graph tags, the schema.org Dataset on the home page, and "Cite this" on claim and
month pages (text, CSL-JSON, BibTeX), naming a month's current revision."""

import datetime as dt
import html
import json
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from reports.publishing import month_publish
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PUBLIC_PAGES = ["/", "/reports/", "/reports/2017/03/", "/claims/", "/claims/CIV-A/", "/map/"]


def scripts(page: str, media_type: str) -> list:
    pattern = rf'<script type="{re.escape(media_type)}"[^>]*>(.*?)</script>'
    return [json.loads(text) for text in re.findall(pattern, page, re.DOTALL)]


def meta(page: str, prop: str) -> str:
    found = re.findall(rf'<meta property="{prop}" content="([^"]*)">', page)
    assert len(found) == 1, (prop, found)
    return html.unescape(found[0])


def today() -> str:
    return timezone.localdate().strftime("%-d %b %Y")


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/strikes/S-1/", "/comparison/", "/methodology/"])
def test_every_public_page_states_the_licence_and_has_open_graph_tags(client, pages_world, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'<a rel="license" href="{LICENCE}">CC BY 4.0</a>' in footer
    assert f'<link rel="license" href="{LICENCE}">' in page
    assert meta(page, "og:site_name") == "Civilian-harm claims tracker"
    assert meta(page, "og:url") == f"http://testserver{path}"
    assert meta(page, "og:type") in ("website", "article")
    assert meta(page, "og:title") and meta(page, "og:description")


def test_the_home_page_describes_the_dataset(client, pages_world):
    page = client.get("/").content.decode()
    [dataset] = scripts(page, "application/ld+json")
    assert dataset["@context"] == "https://schema.org"
    assert dataset["@type"] == "Dataset"
    assert dataset["license"] == LICENCE
    assert dataset["url"] == "http://testserver/"
    assert [place["name"] for place in dataset["spatialCoverage"]] == ["Iraq", "Syria"]
    assert dataset["temporalCoverage"].startswith("2016-05/")  # the first month of records
    downloads = {item["name"]: item for item in dataset["distribution"]}
    assert sorted(downloads) == [
        "assessments.csv",
        "claims.csv",
        "claims.geojson",
        "external-assessments.csv",
        "strikes.csv",
        "strikes.geojson",
    ]
    claims_csv = downloads["claims.csv"]
    assert claims_csv["encodingFormat"] == "text/csv"
    response = client.get(claims_csv["contentUrl"].removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"CIV-A" in b"".join(response.streaming_content)


@override_settings(ALLOWED_HOSTS=["testserver", "data.example.org"])
def test_a_cached_page_keeps_the_links_of_its_own_host(client, pages_world):
    """The home page is kept whole for anonymous readers (conditional.CachedResponseMixin):
    its absolute links must not reach a reader who asked another host."""
    first = client.get("/", HTTP_HOST="data.example.org").content.decode()
    assert scripts(first, "application/ld+json")[0]["url"] == "http://data.example.org/"
    again = client.get("/").content.decode()
    assert scripts(again, "application/ld+json")[0]["url"] == "http://testserver/"


def test_a_claim_page_says_how_to_cite_it(client, pages_world):
    page = client.get("/claims/CIV-A/").content.decode()
    text = html.unescape(re.search(r'<p class="cite__text" id="cite-text">(.*?)</p>', page)[1])
    assert text == (
        "Civilian-harm claims tracker. “Claim CIV-A: Mosul, Ninawa, 4 Mar 2017”. "
        f"http://testserver/claims/CIV-A/ (accessed {today()}). Licence: CC BY 4.0."
    )
    [csl] = scripts(page, "application/vnd.citationstyles.csl+json")
    day = timezone.localdate()
    assert csl == {
        "id": "claim-CIV-A",
        "type": "dataset",
        "title": "Claim CIV-A: Mosul, Ninawa, 4 Mar 2017",
        "author": [{"literal": "Civilian-harm claims tracker"}],
        "publisher": "Civilian-harm claims tracker",
        "URL": "http://testserver/claims/CIV-A/",
        "accessed": {"date-parts": [[day.year, day.month, day.day]]},
        "license": LICENCE,
    }
    bibtex = html.unescape(
        re.search(r'<pre class="cite__bibtex" id="cite-bibtex">(.*?)</pre>', page, re.DOTALL)[1]
    )
    assert bibtex.startswith("@misc{claim-CIV-A,\n  author = {{Civilian-harm claims tracker}},")
    assert "  url = {http://testserver/claims/CIV-A/},\n" in bibtex
    assert meta(page, "og:title") == "Claim CIV-A: Mosul, Ninawa, 4 Mar 2017"


def test_a_month_page_cites_its_current_revision(client, march_2017, publisher):
    page = client.get("/reports/2017/03/").content.decode()
    [provisional] = scripts(page, "application/vnd.citationstyles.csl+json")
    assert "version" not in provisional and "issued" not in provisional
    month_publish(period="2017-03", by=publisher)
    ClaimFactory(claim_ref="CIV-LATE", received_on=dt.date(2017, 3, 28))
    month_publish(period="2017-03", by=publisher)
    page = client.get("/reports/2017/03/").content.decode()
    [csl] = scripts(page, "application/vnd.citationstyles.csl+json")
    published = timezone.localdate()
    assert csl["version"] == "2"
    assert csl["issued"] == {"date-parts": [[published.year, published.month, published.day]]}
    assert csl["title"] == "Monthly report: March 2017"
    assert csl["URL"] == "http://testserver/reports/2017/03/"
    text = html.unescape(re.search(r'<p class="cite__text" id="cite-text">(.*?)</p>', page)[1])
    assert text == (
        "Civilian-harm claims tracker. “Monthly report: March 2017”. Revision 2, published "
        f"{today()}. http://testserver/reports/2017/03/ (accessed {today()}). "
        "Licence: CC BY 4.0."
    )
    assert "  version = {2},\n" in page


@override_settings(SITE_NAME="Monitor & Co {x}")
def test_bibtex_escapes_what_latex_would_read(client, pages_world):
    page = client.get("/claims/CIV-A/").content.decode()
    bibtex = html.unescape(
        re.search(r'<pre class="cite__bibtex" id="cite-bibtex">(.*?)</pre>', page, re.DOTALL)[1]
    )
    assert "  publisher = {Monitor \\& Co \\{x\\}},\n" in bibtex


def test_the_downloads_page_describes_the_dataset(client, pages_world):
    page = client.get("/downloads/").content.decode()
    [dataset] = scripts(page, "application/ld+json")
    assert (dataset["@type"], dataset["license"]) == ("Dataset", LICENCE)
    assert "claims.csv" in {item["name"] for item in dataset["distribution"]}
