"""Search in both scripts (claims.search), the gazetteer (claims.gazetteer), the Arabic fields
through import -> API, and the Arabic pages' fallback (claims.bilingual). Issue 12.

The world, by hand:
- M-EN  Ninawa / Mosul, an English summary only;
- M-AR  Ninawa, no locality, locality_ar "الموصل", summary in English about a market;
- M-SUM no place at all; its only Arabic text its summary, with harakat and أ/ة: "قُتِلَ أطفال في
        مدرسة الموصِل" ("children killed in a Mosul school");
- RQ    Raqqa / Raqqa, summary "A bakery was hit.";
- RAT   Anbar / Hit; its approved assessment's Arabic rationale "شهود عيان في السوق"
        ("eyewitnesses in the market"); a proposal (not approved) on RQ says "مستودع" (depot).
"""

from datetime import date

import pytest

from claims.gazetteer import GOVERNORATE, canonical_province, places, places_named
from claims.importers import import_csv
from claims.models import Claim, Strike
from claims.normalise import normalised
from claims.search import claims_searched, search_terms
from tests.claims.csv_files import write_csv
from tests.factories import ClaimFactory, StrikeFactory, assess, propose, user_with_role

pytestmark = pytest.mark.django_db

API = "/api/v1/claims/"
PAGE = "/claims/"


@pytest.fixture
def world():
    ClaimFactory(claim_ref="M-EN", province="Ninawa", locality="Mosul", summary="A house hit.")
    ClaimFactory(
        claim_ref="M-AR",
        province="Ninawa",
        locality="",
        locality_ar="الموصل",
        summary="Stalls in a market burnt.",
    )
    ClaimFactory(
        claim_ref="M-SUM",
        province="",
        locality="",
        summary="",
        summary_ar="قُتِلَ أطفال في مدرسة الموصِل",
    )
    raqqa = ClaimFactory(
        claim_ref="RQ", country="SY", province="Raqqa", locality="Raqqa", summary="A bakery."
    )
    hit = ClaimFactory(claim_ref="RAT", province="Anbar", locality="Hit", summary="A strike.")
    assess(hit, rationale="Witnesses were heard.", rationale_ar="شهود عيان في السوق")
    propose(raqqa, by=user_with_role("analyst"), rationale="Depot.", rationale_ar="مستودع")


def api_refs(client, **params) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content[:300]
    return sorted(row["claim_ref"] for row in response.json()["results"])


def page_refs(client, **params) -> list[str]:
    response = client.get(PAGE, params)
    assert response.status_code == 200
    content = response.content.decode()
    return sorted(ref for ref in ("M-EN", "M-AR", "M-SUM", "RQ", "RAT") if f">{ref}</a>" in content)


MOSUL = ["M-AR", "M-EN", "M-SUM"]


@pytest.mark.parametrize("query", ["الموصل", "Mosul", "al-Mawsil", "Mossul", "AL MAWSIL", "موصل"])
def test_every_name_of_mosul_finds_the_same_claims_in_the_api_and_the_pages(client, world, query):
    assert api_refs(client, search=query) == MOSUL
    assert page_refs(client, search=query) == MOSUL


def test_a_plain_word_is_not_a_place_and_finds_only_itself(client, world):
    assert api_refs(client, search="bakery") == ["RQ"]
    assert api_refs(client, search="Mosul bakery") == []  # every term must match
    assert api_refs(client, search="Raqqa bakery") == ["RQ"]


@pytest.mark.parametrize(
    "query",
    [
        "مدرسة",  # ة as written
        "مدرسه",  # ه for ة
        "اطفال",  # ا for أ
        "إطفال",  # إ for أ (a typist's variant)
        "أطفـــال",  # tatweel
        "قتل",  # without the harakat of the text
        "قُتِلَ",  # with them
    ],
)
def test_arabic_is_compared_without_marks_and_with_the_usual_letter_variants(client, world, query):
    assert api_refs(client, search=query) == ["M-SUM"]


def test_a_claim_whose_only_arabic_text_is_its_summary_is_found_by_a_word_of_it(client, world):
    assert api_refs(client, search="مدرسة") == ["M-SUM"]
    assert page_refs(client, search="أطفال") == ["M-SUM"]


def test_an_approved_rationale_is_searched_in_both_languages_a_proposal_is_not(client, world):
    assert api_refs(client, search="شهود") == ["RAT"]
    assert api_refs(client, search="witnesses") == ["RAT"]
    assert api_refs(client, search="مستودع") == []  # RQ's proposal: not public
    assert api_refs(client, search="depot") == []


def test_a_place_of_several_words_is_one_term_in_either_script(client, db):
    ClaimFactory(claim_ref="DZ", country="SY", province="Deir ez-Zor", locality="Hajin")
    ClaimFactory(claim_ref="DAR", country="SY", province="Daraa", locality="Dayr")
    for query in ("دير الزور", "Dayr az-Zawr", "deir al-zour", "Deir ez-Zor"):
        assert api_refs(client, search=query) == ["DZ"], query
    assert api_refs(client, search="هجين") == ["DZ"]


def test_confidential_notes_are_never_searched(client, db):
    ClaimFactory(claim_ref="SECRET", confidential_notes="zq7canary a relative")
    assert api_refs(client, search="zq7canary") == []
    assert page_refs(client, search="zq7canary") == []


def test_search_text_is_kept_by_the_database_on_every_write(db):
    claim = ClaimFactory(claim_ref="W-1", summary="")
    assert Claim.objects.filter(pk=claim.pk, search_text__contains="مدرسه").count() == 0
    Claim.objects.filter(pk=claim.pk).update(summary_ar="مدرسة")  # not through the ORM's save
    assert list(claims_searched(Claim.objects.all(), "مدرسة")) == [claim]


def test_the_query_terms_group_a_place_and_leave_other_words(db):
    terms = search_terms('الموصل "air strike" Dayr az-Zawr')
    assert "mosul" in terms[0] and "الموصل" in terms[0] and "mossul" in terms[0]
    assert terms[1] == frozenset({'"air strike"'}) or terms[1] == frozenset({"air strike"})
    assert "دير الزور" in terms[2] and "deir ez-zor" in terms[2]
    assert len(terms) == 3


def test_the_search_costs_no_extra_query(client, world, django_assert_num_queries):
    # 1 the page of rows with every search term in its WHERE clause (the count is cached
    # from the first call), as without a search.
    client.get(API, {"search": "الموصل"})
    with django_assert_num_queries(1):
        assert client.get(API, {"search": "الموصل"}).status_code == 200


# --- the gazetteer --------------------------------------------------------------------------


def test_the_gazetteer_has_every_governorate_of_iraq_and_syria_with_an_arabic_name():
    governorates = [place for place in places() if place.kind == GOVERNORATE]
    iraq = sorted(place.name for place in governorates if place.country == "IQ")
    syria = sorted(place.name for place in governorates if place.country == "SY")
    assert len(iraq) == 19  # 18 and Halabja (Kurdistan Region, 2014)
    assert len(syria) == 14
    assert all(place.name_ar and place.variants for place in governorates)
    # The spellings the records and the map's shapes use (static/geo/SOURCES.md).
    assert {"Ninawa", "Salah al-Din", "Anbar", "Dohuk", "Sulaymaniyah"} <= set(iraq)
    assert {"Deir ez-Zor", "Raqqa", "Hasakah", "Rif Dimashq", "Suwayda"} <= set(syria)


def test_no_name_of_the_gazetteer_names_two_governorates():
    for place in places():
        for name in place.names:
            governorates = [p for p in places_named(name) if p.kind == GOVERNORATE]
            assert len(governorates) <= 1, (name, governorates)


def test_every_place_the_demo_records_name_has_an_arabic_name():
    import csv
    from pathlib import Path

    from claims.gazetteer import arabic_name

    rows = []
    for name in ("claims", "strikes"):
        with Path(f"demo/data/{name}.csv").open(encoding="utf-8") as file:
            rows += list(csv.DictReader(file))
    missing = {
        name for row in rows for name in (row["province"], row["locality"]) if not arabic_name(name)
    }
    assert missing == set()


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("Nineveh", "Ninawa"),
        ("Ninewa", "Ninawa"),
        ("Nīnawā", "Ninawa"),
        ("نينوى", "Ninawa"),
        ("al-anbar", "Anbar"),
        ("الأنبار", "Anbar"),
        ("Ar-Raqqah", "Raqqa"),
        ("Rakka", "Raqqa"),
        ("Dayr az-Zawr", "Deir ez-Zor"),
        ("Deir al-Zour", "Deir ez-Zor"),
        ("Şalāḩ ad Dīn", "Salah al-Din"),  # ISO 3166-2's romanisation
        ("Ḩimş", "Homs"),
        ("Nowhere", "Nowhere"),
    ],
)
def test_a_governorate_is_known_by_each_of_its_names(given, canonical):
    assert canonical_province(given) == canonical


def test_normalised_drops_marks_and_unifies_letters():
    assert normalised("أَلْمَوْصِل") == "الموصل"
    assert normalised("مـدرسـة إلى آخر مستشفى") == "مدرسه الي اخر مستشفي"
    assert normalised("Nīnawā") == "ninawa"


# --- import: governorates and Arabic fields ---------------------------------------------------

CLAIMS_HEADER = (
    "claim_ref,received_on,incident_date,country,province,locality,locality_ar,source_type,"
    "summary,summary_ar\n"
)


def test_ninawa_and_nineveh_import_to_one_province_the_filter_takes_either(client, tmp_path):
    path = write_csv(
        tmp_path,
        "claims.csv",
        CLAIMS_HEADER + "C-1,2017-03-09,2017-03-04,IQ,Ninawa,Mosul,,ngo,,\n"
        "C-2,2017-03-09,2017-03-04,IQ,Nineveh,Mosul,,ngo,,\n"
        "C-3,2017-03-09,2017-03-04,IQ,نينوى,,,ngo,,\n"
        "C-4,2017-03-09,2017-03-04,SY,Ar-Raqqah,,,ngo,,\n",
    )
    result = import_csv("claims", path)
    assert result.errors == []
    assert dict(Claim.objects.values_list("claim_ref", "province")) == {
        "C-1": "Ninawa",
        "C-2": "Ninawa",
        "C-3": "Ninawa",
        "C-4": "Raqqa",
    }
    for name in ("Ninawa", "nineveh", "Ninewa", "نينوى"):
        assert api_refs(client, province=name) == ["C-1", "C-2", "C-3"], name
    assert api_refs(client, province="Rakka") == ["C-4"]


def test_arabic_fields_round_through_import_to_the_api(client, tmp_path):
    claims = write_csv(
        tmp_path,
        "claims.csv",
        CLAIMS_HEADER + 'C-1,2017-03-09,2017-03-04,IQ,Ninawa,Mosul,الموصل,ngo,"A house hit.",'
        '"أصيب منزل."\n',
    )
    assert import_csv("claims", claims).errors == []
    assessments = write_csv(
        tmp_path,
        "assessments.csv",
        "claim_ref,assessed_on,outcome,reason,civilians_killed,civilians_injured,rationale,"
        "rationale_ar\n"
        "C-1,2017-04-01,credible,,1,0,Strike logs match.,تتطابق سجلات الضربات.\n",
    )
    assert import_csv("assessments", assessments).errors == []
    row = client.get(API).json()["results"][0]
    assert (row["locality_ar"], row["summary_ar"]) == ("الموصل", "أصيب منزل.")
    detail = client.get(f"{API}C-1/").json()
    assert detail["assessments"][0]["rationale_ar"] == "تتطابق سجلات الضربات."
    assessment = client.get("/api/v1/assessments/").json()["results"][0]
    assert (assessment["rationale_ar"], assessment["locality_ar"]) == (
        "تتطابق سجلات الضربات.",
        "الموصل",
    )
    # ...and what was imported is searched.
    assert api_refs(client, search="سجلات") == ["C-1"]
    assert api_refs(client, search="منزل") == ["C-1"]


def test_a_reopening_row_refuses_an_arabic_rationale(tmp_path):
    ClaimFactory(claim_ref="C-1", received_on=date(2017, 3, 9))
    path = write_csv(
        tmp_path,
        "assessments.csv",
        "claim_ref,assessed_on,outcome,civilians_killed,civilians_injured,rationale,rationale_ar\n"
        "C-1,2017-03-10,credible,1,0,Logs match.,\n"
        "C-1,2017-03-12,reopened,,,New photographs.,صور جديدة\n",
    )
    result = import_csv("assessments", path)
    assert result.errors == [
        'assessments.csv, row 3, column "rationale_ar", value "صور جديدة": must be empty for a '
        "reopening."
    ]


def test_a_record_written_through_its_validation_stores_the_canonical_governorate(db):
    # Located.clean: what the admin's forms and the API's writes (services) call.
    claim = ClaimFactory.build(claim_ref="N-1", province="Nineveh")
    strike = StrikeFactory.build(strike_ref="S-N", province="الرقة", country="SY")
    claim.full_clean()
    strike.full_clean(exclude=["belligerent"])
    assert (claim.province, strike.province) == ("Ninawa", "Raqqa")


def test_the_data_migration_names_stored_governorates_canonically(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("claims.migrations.0012_canonical_province_names")
    ClaimFactory(claim_ref="OLD-1", province="Nineveh")
    ClaimFactory(claim_ref="OLD-2", province="Somewhere")
    StrikeFactory(strike_ref="S-OLD", province="Dayr az-Zawr", country="SY")
    migration.canonical_provinces(apps, None)
    assert dict(Claim.objects.values_list("claim_ref", "province")) == {
        "OLD-1": "Ninawa",
        "OLD-2": "Somewhere",
    }
    assert Strike.objects.get().province == "Deir ez-Zor"


# --- pages: the reader's language, with the English fallback marked ---------------------------


def test_an_arabic_page_shows_the_arabic_text_or_the_english_marked_as_such(client, db):
    claim = ClaimFactory(
        claim_ref="BI-1",
        province="Ninawa",
        locality="Mosul",
        summary="A house was hit.",
        summary_ar="أصيب منزل.",
    )
    other = ClaimFactory(claim_ref="BI-2", province="Ninawa", locality="Badush", summary="A car.")
    # The Arabic pages are at /ar/ (i18n_patterns).
    first = client.get(f"/ar/claims/{claim.claim_ref}/").content.decode()
    second = client.get(f"/ar/claims/{other.claim_ref}/").content.decode()
    assert '<span lang="ar" dir="rtl">الموصل، نينوى</span>' in first
    assert '<div lang="ar" dir="rtl"><p>أصيب منزل.</p></div>' in first
    # Badush is not in the gazetteer: the English place, marked; the English summary, marked.
    assert '<span lang="en" dir="ltr">Badush, Ninawa</span> <span class="fallback">' in second
    assert '<div lang="en" dir="ltr"><p>A car.</p></div><p class="fallback">' in second
    english = client.get(f"/claims/{claim.claim_ref}/").content.decode()
    assert "<p>A house was hit.</p>" in english and "أصيب منزل" not in english


def test_the_header_has_a_labelled_search_box_sending_to_the_claims_list(client, db):
    page = client.get("/claims/").content.decode()
    assert '<form class="site-search" role="search" method="get" action="/claims/">' in page
    assert '<label for="site-search" class="visually-hidden">Search the claims</label>' in page
    assert '<input id="site-search" name="search" type="search"' in page


# --- the admin: both languages side by side; the same search ---------------------------------


def test_the_admin_edits_each_arabic_field_beside_its_english_one(client, db):
    claim = ClaimFactory(claim_ref="ADM-1", locality_ar="الموصل")
    client.force_login(user_with_role("analyst"))
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'class="form-row field-locality field-locality_ar"' in page
    assert 'class="form-row field-summary field-summary_ar"' in page
    assert 'name="locality_ar" value="الموصل"' in page
    assert page.count('dir="rtl" lang="ar"') == 2  # both Arabic inputs


def test_the_admin_queue_searches_as_the_public_list_does(client, world):
    client.force_login(user_with_role("reviewer"))
    page = client.get("/admin/claims/claim/", {"q": "Mossul"}).content.decode()
    assert [ref for ref in ("M-EN", "M-AR", "M-SUM", "RQ", "RAT") if f">{ref}</a>" in page] == [
        "M-EN",
        "M-AR",
        "M-SUM",
    ]


# --- the place is searched and shown as published (claims.public.claim_location) -------------


def test_a_hidden_locality_is_neither_searched_nor_published_in_either_script(client, db):
    ClaimFactory(
        claim_ref="HID-L",
        province="Ninawa",
        locality="Mosul",
        locality_ar="الموصل",
        location_disclosure="province",
    )
    ClaimFactory(
        claim_ref="HID-P",
        province="Ninawa",
        locality="",
        location_disclosure="withheld",
    )
    for query in ("Mosul", "الموصل", "Mossul"):
        assert api_refs(client, search=query) == [], query
    assert api_refs(client, search="Nineveh") == ["HID-L"]
    assert api_refs(client, province="نينوى") == ["HID-L"]
    row = client.get(f"{API}HID-L/").json()
    assert (row["locality"], row["locality_ar"], row["province"]) == ("", "", "Ninawa")
    page = client.get("/ar/claims/HID-L/").content.decode()
    assert "الموصل" not in page and "Mosul" not in page
    assert '<span lang="ar" dir="rtl">نينوى</span>' in page


@pytest.mark.parametrize("text", ["Mos\x00ul", "\x00"])
def test_a_word_with_a_nul_character_is_refused_as_the_schema_says(client, db, text):
    # The schema's pattern for `search` excludes NUL, as DRF's own search refuses it; PostgreSQL
    # cannot compare it (the fuzz found a 500, then a NUL accepted against the schema).
    ClaimFactory(claim_ref="NUL-1", locality="Mosul")
    response = client.get("/api/v1/claims/", {"search": text})
    assert response.status_code == 400
    assert response.json()["errors"] == {"search": ["search must not contain a NUL character."]}
