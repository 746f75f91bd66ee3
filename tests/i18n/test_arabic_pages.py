"""The public site in Arabic: every public page at /ar/..., right to left, with a switcher to the
same page in English; no English sentence of the catalogue left on it; the same figures as the
English page and as `monthly_report --json`; nothing confidential; the API's labels by
Accept-Language with the same keys and values."""

import json
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.claims.page_factories import visible
from tests.reports.page_factories import definitions
from tests.worlds import CANARY, plant_canaries

from .catalogue import entries

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/reports/",
    "/reports/2017/03/",
    "/claims/",
    "/claims/?country=SY&ordering=incident_date",
    "/claims/CIV-0201/",
    "/claims/CIV-0303/",
    "/map/",
    "/comparison/",
    "/methodology/",
]


def english_sentences() -> set[str]:
    """The catalogue's public English strings of three words or more, as they read on a page."""
    found = set()
    for entry in entries():
        if not entry.is_public:
            continue
        for text in (entry.msgid, entry.msgid_plural):
            words = re.sub(r"<[^>]+>", "", text)
            # Only the words before a placeholder: what a page would show of an untranslated one.
            words = re.split(r"%\(\w+\)s|\{\w+\}", words)[0].strip()
            if len(words.split()) >= 3:
                found.add(words)
    return found


def html_tag(markup: str) -> str:
    return re.search(r"<html[^>]*>", markup).group(0)


@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_is_in_arabic_right_to_left(client, march_2017, path):
    response = client.get(f"/ar{path}")
    assert response.status_code == 200
    markup = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html_tag(markup)
    assert 'href="/static/css/arabic.css"' in markup or "css/arabic" in markup
    # The switcher leads to the same page, query string included, in English.
    assert f'<a href="{path.replace("&", "&amp;")}" hreflang="en-gb" lang="en-gb"' in markup
    text = visible(markup)
    left = sorted(sentence for sentence in english_sentences() if sentence in text)
    assert left == []
    assert "متتبّع ادعاءات الأذى اللاحق بالمدنيين" in text


@pytest.mark.parametrize("path", PAGES)
def test_english_pages_stay_at_their_addresses_left_to_right(client, march_2017, path):
    response = client.get(path)
    assert response.status_code == 200
    markup = response.content.decode()
    assert html_tag(markup).startswith('<html lang="en-GB" data-number-locale')
    assert 'dir="rtl"' not in html_tag(markup)
    assert (
        f'<a href="/ar{path.replace("&", "&amp;")}" hreflang="ar" lang="ar" dir="rtl">العربية</a>'
        in markup
    )


def test_links_on_an_arabic_page_stay_in_arabic(client, march_2017):
    markup = client.get("/ar/reports/").content.decode()
    assert 'href="/ar/reports/2017/03/"' in markup
    assert 'href="/ar/claims/"' in markup and 'href="/ar/methodology/"' in markup
    # The API and the admin have one address for every language.
    assert 'href="/api/docs/"' in markup
    assert "/ar/api/" not in markup


def test_an_unknown_arabic_address_is_an_arabic_404(client, db):
    response = client.get("/ar/nowhere/")
    assert response.status_code == 404
    markup = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html_tag(markup)
    assert "الصفحة غير موجودة" in visible(markup)


def test_the_admin_and_the_api_have_no_arabic_address(client, db):
    assert client.get("/ar/api/v1/claims/").status_code == 404
    assert client.get("/ar/admin/").status_code == 404


def month_json() -> dict:
    out = StringIO()
    call_command("monthly_report", "2017-03", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_arabic_month_states_the_figures_of_the_english_one_and_of_the_command(
    client, march_2017
):
    english = definitions(client.get("/reports/2017/03/"))
    arabic = definitions(client.get("/ar/reports/2017/03/"))
    assert list(arabic.values()) == list(english.values())
    data = month_json()
    assert list(english.values())[:10] == [
        f"{data[key]:,}"
        for key in (
            "received",
            "closed",
            "credible",
            "non_credible",
            "duplicate",
            "reopened",
            "open_at_start",
            "open_at_end",
            "civilians_killed",
            "civilians_injured",
        )
    ]
    # Labels in Arabic, from the figure catalogue.
    assert list(arabic)[:3] == ["البلاغات المستلمة", "التقييمات المنجزة", "قُيّمت ذات مصداقية"]
    assert "0.20%" in arabic.values() and "3,000" in arabic.values()


def test_the_arabic_summary_says_the_months_figures_in_arabic(client, march_2017):
    text = visible(client.get("/ar/reports/2017/03/").content.decode())
    assert "خلال شهر مارس 2017، رحّل التحالف 2 بلاغ مفتوح، واستلم 3 بلاغات جديدة" in text
    assert "تقرير الضحايا المدنيين: مارس 2017" in text
    # Refs read left to right inside the Arabic text, as written.
    markup = client.get("/ar/reports/2017/03/").content.decode()
    assert '<bdi dir="ltr" translate="no">CIV-0301</bdi>' in markup


def test_arabic_indic_digits_by_setting_everywhere_but_in_identifiers(client, march_2017, settings):
    settings.ARABIC_DIGITS = "arabic-indic"
    cache.clear()
    markup = client.get("/ar/reports/2017/03/").content.decode()
    text = visible(markup)
    assert "تقرير الضحايا المدنيين: مارس ٢٠١٧" in text
    assert "٣,٠٠٠" in text and "0.20%" not in text and "٠.٢٠%" in text
    assert '<bdi dir="ltr" translate="no">CIV-0301</bdi>' in markup  # a ref stays as written
    assert 'href="/ar/reports/2017/02/"' in markup  # addresses too
    assert 'data-number-locale="ar-u-nu-arab"' in markup  # the charts' digits
    # The English page keeps its digits.
    assert "March 2017" in visible(client.get("/reports/2017/03/").content.decode())


def test_latin_digits_by_default(client, march_2017):
    markup = client.get("/ar/reports/2017/03/").content.decode()
    assert "مارس 2017" in visible(markup)
    assert not re.search("[٠-٩]", visible(markup))
    assert 'data-number-locale="ar-u-nu-latn"' in markup


def test_no_confidential_canary_on_any_arabic_page(client, world):
    plant_canaries(world)
    paths = ["/ar/", "/ar/reports/", "/ar/claims/", "/ar/map/", "/ar/comparison/"]
    paths += ["/ar/methodology/"]
    paths += [f"/ar/reports/2017/{month:02d}/" for month in range(2, 7)]
    paths += [f"/ar/claims/{ref}/" for ref in Claim.objects.values_list("claim_ref", flat=True)]
    seen = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 400), path
        assert CANARY not in response.content.decode(), path
        seen += 1
    assert seen >= 15


def test_the_api_labels_follow_accept_language_and_nothing_else_changes(client, march_2017):
    english = client.get("/api/v1/reports/monthly/2017-03/").json()
    arabic = client.get("/api/v1/reports/monthly/2017-03/", HTTP_ACCEPT_LANGUAGE="ar").json()
    labels = {row["claim_ref"]: row["reason_label"] for row in arabic["non_credible_claims"]}
    assert labels == {"CIV-0302": "لم يُعثر على أذى لحق بمدنيين"}
    assert english["non_credible_claims"][0]["reason_label"] == "No civilian harm found"

    def without_labels(data):
        for row in data["non_credible_claims"]:
            row.pop("reason_label")
        return data

    assert without_labels(arabic) == without_labels(english)


def test_an_arabic_page_costs_the_queries_of_the_english_one(client, march_2017):
    counts = []
    for path in ("/claims/", "/ar/claims/"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_two_languages_never_share_a_cached_answer_or_an_etag(client, march_2017):
    # The shared cache keeps whole anonymous answers (casualty_tracker/conditional.py): the
    # English page, asked first, must not be what /ar/ gets, nor its ETag a 304 there.
    english = client.get("/reports/")
    arabic = client.get("/ar/reports/")
    assert english["ETag"] != arabic["ETag"]
    assert 'lang="ar"' in arabic.content.decode()
    assert client.get("/ar/reports/", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200
    assert client.get("/ar/reports/", HTTP_IF_NONE_MATCH=arabic["ETag"]).status_code == 304
    # The API's labels by Accept-Language: the answer says it varies by it.
    api = client.get("/api/v1/reports/monthly/2017-03/", HTTP_ACCEPT_LANGUAGE="ar")
    assert "Accept-Language" in api["Vary"]
    assert api["Content-Language"] == "ar"


def test_the_503_page_of_an_arabic_address_is_in_arabic(client, db, monkeypatch):
    def refuse():
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/ar/claims/")
    assert response.status_code == 503
    markup = response.content.decode()
    assert 'lang="ar" dir="rtl"' in html_tag(markup)
    assert "<h1>غير متاح مؤقتًا</h1>" in markup
    assert "بعد 30 ثانية" in markup and 'href="/ar/"' in markup
    assert "Connection refused" not in markup


def test_the_arabic_month_names_the_places_of_its_lists_in_arabic(client, march_2017):
    # The month's lists give each claim's place as written out ("Mosul, Ninawa"): in Arabic
    # through the gazetteer, the English text marked where a part has no Arabic name.
    arabic = client.get("/ar/reports/2017/03/").content.decode()
    english = client.get("/reports/2017/03/").content.decode()
    assert '<span lang="ar" dir="rtl">الموصل، نينوى</span>' in arabic
    assert "Mosul, Ninawa" in english and "الموصل" not in english
    assert "<td>Mosul, Ninawa</td>" not in arabic
