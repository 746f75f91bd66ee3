"""How text is compared in search: one table of replacements, applied by Python to what a reader
types and by the database to what a record says (the `search_text` generated columns), so the
two always agree, on SQLite and PostgreSQL alike.

Arabic: the short vowels and other marks (harakat: fathatan to sukun, the dagger alif) and the
tatweel are dropped; alif with hamza or madda (أ إ آ) and alif wasla (ٱ) are a plain alif; alif
maqsura (ى) is ya; ta marbuta (ة) is ha. Latin: lower case, and the long vowels of scholarly
transliteration (ā ī ū) plain, so "Nīnawā" reads "ninawa". Only these: SQLite's parser refuses
an expression nested much deeper (about 28 levels with the published place's CASEs); the
gazetteer's names are matched without any mark at all (claims.gazetteer.key_of).
"""

from functools import reduce

from django.db.models import Expression, Func, TextField, Value
from django.db.models.functions import Lower, Replace

# (what, what it becomes), applied in order after lower-casing.
REPLACEMENTS: tuple[tuple[str, str], ...] = (
    *((chr(code), "") for code in range(0x064B, 0x0653)),  # fathatan ... sukun
    ("\u0670", ""),  # superscript (dagger) alif
    ("\u0640", ""),  # tatweel
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ى", "ي"),
    ("ة", "ه"),
    ("ā", "a"),
    ("ī", "i"),
    ("ū", "u"),
)


def normalised(text: str) -> str:
    """`text` as the search compares it."""
    text = text.lower()
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


class Joined(Func):
    """`a || b || c`: one level of SQL for any number of (non-null) texts. Concat nests a level
    of parentheses and COALESCE a part, and SQLite's parser refuses about 28 levels in all."""

    function = ""
    arg_joiner = " || "


def normalised_sql(*fields: str | Expression) -> Expression:
    """The database's `normalised()` of the text fields (names or expressions) joined by
    newlines: the expression of a `search_text` generated column (immutable on PostgreSQL: ||,
    LOWER, REPLACE, CASE)."""
    parts: list = []
    for field in fields:
        parts += [field, Value("\n")]
    text = TextField()
    joined = Lower(Joined(*parts[:-1], output_field=text), output_field=text)
    return reduce(
        lambda done, pair: Replace(done, Value(pair[0]), Value(pair[1]), output_field=text),
        REPLACEMENTS,
        joined,
    )
