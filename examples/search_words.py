"""Typo tolerance as PostgreSQL's pg_trgm documents it (« Text Search Integration »): a table of
the distinct words of the published examples, with a trigram index, to which each word of a
search that no example holds is corrected before one ordinary full-text search runs.

The table holds each word without accents (`word`, what the trigram index compares), one
spelling of it as the examples write it (`spelling`, what the page shows and searches), and its
French stem (`stem`): a word of the search is known when some word of the table has its stem,
so that « jardin » is never corrected because the examples only write « jardins ». Stop words
(an empty stem) and words with digits are never corrected.

The database keeps the table current: statement-level triggers on examples_example add the
words of every published example inserted or updated, whatever wrote it (admin, shell, import,
COPY, `update()`, raw SQL). A word whose examples were all unpublished or rewritten stays until
`python manage.py rebuild_search_words` (or `rebuild_search_words()`), which rebuilds the table
from `ts_stat()`; a correction to such a word then merely finds nothing.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import connection, models
from django.db.models import F

TABLE = "examples_searchword"
# The text of an example its words come from: what its search vector indexes.
DOCUMENT = "concat_ws(' ', {0}title, {0}summary, {0}description, {0}search_document)"
PUBLISHED = "{0}status = 'publie'"
# A word without accents, and its French stem ('' for a stop word).
PLAIN = "coalesce((ts_lexize('unaccent', {0}))[1], {0})"
STEM = "coalesce((ts_lexize('french_stem', {0}))[1], '')"

# The distinct spellings of `rows`, each once per word without accents.
WORDS_OF_SPELLINGS = f"""
SELECT DISTINCT ON (word) word, spelling, {STEM.format("word")}
FROM (SELECT {PLAIN.format("spelling")} AS word, spelling FROM ({{spellings}}) AS spellings)
    AS words
ORDER BY word, spelling
"""
INSERT_WORDS = f"INSERT INTO {TABLE} (word, spelling, stem) {{words}} ON CONFLICT (word) DO NOTHING"

# The trigger function: the words of the published rows the statement wrote. An update that
# left an example's text and status as they were adds nothing (a bulk update of other columns
# costs a join, not a parse of every text).
TRIGGER_FUNCTION = "examples_searchword_add"
ADDED_SPELLINGS = f"""
SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple', {DOCUMENT.format("written.")})))
    AS spelling
FROM new_examples AS written
WHERE {PUBLISHED.format("written.")} {{unchanged}}
"""
UNCHANGED = f"""AND NOT EXISTS (
    SELECT FROM old_examples AS previous
    WHERE previous.id = written.id AND {PUBLISHED.format("previous.")}
    AND {DOCUMENT.format("previous.")} = {DOCUMENT.format("written.")}
)"""
ADD_INSERTED = INSERT_WORDS.format(
    words=WORDS_OF_SPELLINGS.format(spellings=ADDED_SPELLINGS.format(unchanged=""))
)
ADD_UPDATED = INSERT_WORDS.format(
    words=WORDS_OF_SPELLINGS.format(spellings=ADDED_SPELLINGS.format(unchanged=UNCHANGED))
)
CREATE_TRIGGERS = f"""
CREATE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {ADD_INSERTED};
    ELSE
        {ADD_UPDATED};
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER examples_searchword_on_insert AFTER INSERT ON examples_example
    REFERENCING NEW TABLE AS new_examples
    FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}();
CREATE TRIGGER examples_searchword_on_update AFTER UPDATE ON examples_example
    REFERENCING OLD TABLE AS old_examples NEW TABLE AS new_examples
    FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}();
"""
DROP_TRIGGERS = f"DROP FUNCTION {TRIGGER_FUNCTION}() CASCADE;"

# Every word of the published examples, as pg_trgm's documentation builds its words table.
STAT_QUERY = (
    f"SELECT to_tsvector('simple', {DOCUMENT.format('')}) FROM examples_example "
    f"WHERE {PUBLISHED.format('')}"
)
REBUILD = INSERT_WORDS.format(
    words=WORDS_OF_SPELLINGS.format(spellings="SELECT word AS spelling FROM ts_stat(%s)")
)

# What a search's words are: quoted phrases and -excluded words are never corrected, nor `or`.
SEARCH_PARTS = re.compile(r'"[^"]*"?|[^\s"]+')
WORD = re.compile(r"[^\W_]+")
CORRECTABLE_MIN_LENGTH = 3
CORRECTIONS = f"""
SELECT position, stop_word, known, CASE WHEN NOT (stop_word OR known) THEN (
    SELECT nearest.spelling FROM {TABLE} AS nearest
    WHERE nearest.word %% asked.word AND similarity(nearest.word, asked.word) >= %s
    ORDER BY similarity(nearest.word, asked.word) DESC, nearest.word
    LIMIT 1
) END
FROM (
SELECT position, word, stem = '' AS stop_word, EXISTS (
    SELECT FROM {TABLE} AS known WHERE known.stem = stems.stem
) AS known
FROM (
    SELECT position, word, {STEM.format("word")} AS stem
    FROM (
        SELECT position, {PLAIN.format("lower(typed)")} AS word
        FROM unnest(%s::text[]) WITH ORDINALITY AS typed_words(typed, position)
    ) AS plain
) AS stems
) AS asked
ORDER BY position
"""


class SearchWord(models.Model):
    """A word of the published examples (kept current by triggers, see the module)."""

    word = models.TextField("mot sans accents", primary_key=True)
    spelling = models.TextField("graphie")
    stem = models.TextField("racine", blank=True)

    class Meta:
        verbose_name = "mot de la recherche"
        verbose_name_plural = "mots de la recherche"
        indexes = [
            GinIndex(OpClass(F("word"), name="gin_trgm_ops"), name="searchword_word_trgm"),
            models.Index(fields=["stem"], name="searchword_stem"),
        ]

    def __str__(self) -> str:
        return self.spelling


def rebuild_search_words(using: str = "default") -> int:
    """Refills the table from the published examples; returns its number of words."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(REBUILD, [STAT_QUERY])
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Part:
    """A piece of a search: a word that may be corrected, or anything else, kept as is."""

    text: str
    correctable: bool


def search_parts(text: str) -> list[list[Part]]:
    """The search's whitespace-separated chunks, each cut into its words and what lies
    between them; phrases, exclusions and `or` are one part that is never corrected."""
    chunks = []
    for match in SEARCH_PARTS.finditer(text):
        chunk = match.group()
        if chunk.startswith(('"', "-")) or chunk.lower() == "or":
            chunks.append([Part(chunk, correctable=False)])
            continue
        parts, end = [], 0
        for word in WORD.finditer(chunk):
            parts.append(Part(chunk[end : word.start()], correctable=False))
            typed = word.group()
            parts.append(Part(typed, typed.isalpha() and len(typed) >= CORRECTABLE_MIN_LENGTH))
            end = word.end()
        parts.append(Part(chunk[end:], correctable=False))
        chunks.append([part for part in parts if part.text])
    return chunks


def corrected_search(text: str) -> str:
    """The search to run for `text` (already cleaned): each word that no published example
    holds, in any inflection, replaced by the most similar word that one holds
    (TYPO_SIMILARITY_THRESHOLD); one with no similar word is left out when other words
    remain. `text` itself when nothing needs correcting. One query, none without a word to
    check."""
    chunks = search_parts(text)
    words = [part.text for chunk in chunks for part in chunk if part.correctable]
    if not words:
        return text
    with connection.cursor() as cursor:
        cursor.execute(CORRECTIONS, [settings.TYPO_SIMILARITY_THRESHOLD, words])
        rows = cursor.fetchall()
    # A stop word is kept but finds nothing alone; an unknown word becomes its nearest word, or
    # None when no word is near enough.
    fixes = {
        words[position - 1]: nearest
        for position, stop_word, known, nearest in rows
        if not (stop_word or known)
    }
    found = [
        position for position, stop_word, known, nearest in rows if known or nearest is not None
    ]
    if not fixes or not found:
        return text
    rewritten = []
    for chunk in chunks:
        parts = [
            fixes.get(part.text, part.text) if part.correctable else part.text for part in chunk
        ]
        if None in parts:
            continue  # a chunk with a word that no example holds, nor anything like it
        rewritten.append("".join(parts))
    return " ".join(without_dangling_or(rewritten))


def without_dangling_or(chunks: list[str]) -> list[str]:
    """The chunks without an `or` left first, last or after another by a word left out."""
    kept: list[str] = []
    for chunk in chunks:
        if chunk.lower() == "or" and (not kept or kept[-1].lower() == "or"):
            continue
        kept.append(chunk)
    while kept and kept[-1].lower() == "or":
        kept.pop()
    return kept
