"""The Arabic catalogue is complete for the public site: every string a public template or a
public Python module marks for translation has an Arabic translation that is not fuzzy, and the
compiled catalogue (.mo, committed) says the same as the .po. No database needed."""

import gettext
import re

from .catalogue import ARABIC, PUBLIC_SOURCES, entries

COMPILED = ARABIC.with_suffix(".mo")


def public_entries():
    return [entry for entry in entries() if entry.is_public]


def test_the_catalogue_covers_the_public_site():
    found = public_entries()
    # The figure catalogue, the vocabulary and every public template are in it.
    assert len(found) > 500
    ids = {entry.msgid for entry in found}
    assert {"Reports received", "Credible", "Non-credible", "Monthly reports"} <= ids
    sources = {ref for entry in found for ref in entry.references}
    assert "reports/catalogue.py" in sources
    assert "templates/base.html" in sources
    assert "templates/reports/month.html" in sources


def test_every_public_string_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in public_entries() if not e.is_translated]
    fuzzy = [e.msgid for e in public_entries() if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_the_header_is_not_fuzzy_and_has_the_arabic_plural_forms():
    header = ARABIC.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header
    assert '"Language: ar\\n"' in header
    assert "nplurals=6;" in header


def test_placeholders_are_kept_in_every_translation():
    for entry in public_entries():
        expected = set(re.findall(r"%\(\w+\)s|\{\w+\}", entry.msgid + entry.msgid_plural))
        for text in entry.msgstr.values():
            assert set(re.findall(r"%\(\w+\)s|\{\w+\}", text)) <= expected, entry.msgid
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", entry.msgid))


def test_the_compiled_catalogue_is_the_po_compiled():
    with COMPILED.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = []
    for entry in public_entries():
        if entry.msgid_plural:
            got = (
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 3)
                if (entry.msgctxt)
                else compiled.ngettext(entry.msgid, entry.msgid_plural, 3)
            )
            want = entry.msgstr[3]
        else:
            got = (
                compiled.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else compiled.gettext(entry.msgid)
            )
            want = entry.msgstr[0]
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` and commit locale/"


def test_the_public_sources_are_the_ones_the_catalogue_names():
    # A guard on the list itself: a public module renamed would silently drop out of the check.
    patterns = " ".join(pattern.pattern for pattern in PUBLIC_SOURCES)
    for module in ("claims/definitions", "reports/catalogue", "reports/narrative", "claims/map"):
        assert module.split("/")[1] in patterns
