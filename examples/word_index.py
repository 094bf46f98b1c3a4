"""The words of the published examples, kept in memory beside the directory index, so that a
search for words joined by « or », or by « and » with or without exclusions, reads few rows or
none: same results, same order as PostgreSQL's ranked search.

Why: PostgreSQL's GIN index says at once which rows hold a word, but to return their ids and
ranks it must then read every one of them. A common word (« coopérative », « insertion ») is in
a third to half of a 100,000-example directory: 35,000 to 50,000 rows read and ranked, 40 to
60 ms, for every such search. Here the same search is a union of arrays, about a millisecond.

What is kept, for every lexeme of a published example (french_unaccent, as in its search
vector): the positions of the examples whose search vector holds it, and, where the title or the
summary holds it too, its ts_rank in that example's rank vector. For a query of one lexeme, or
of lexemes joined by OR, PostgreSQL's ts_rank is the mean, over the query's distinct lexemes,
of each lexeme's own rank (calc_rank_or), which these pieces give back. For lexemes joined by
AND, PostgreSQL ranks by how close two of them stand (calc_rank_and), which takes their
positions: the database still ranks the few results whose title or summary holds two of them,
and gives all the others one and the same rank.

What is left to PostgreSQL: phrases and hyphenated words (their positions matter), exclusions
alone, and the typo fallback.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .models import Example
from .status import ExampleStatus

# A lexeme in a tsquery's text: quoted, with quotes and backslashes doubled.
LEXEME = r"'((?:[^'\\]|''|\\\\)+)'"
ALTERNATIVES = re.compile(rf"{LEXEME}(?: \| {LEXEME})*")
CONJUNCTION = re.compile(rf"!?{LEXEME}(?: & !?{LEXEME})*")
NEGATED = re.compile(rf"(!?){LEXEME}")
# PostgreSQL's rank for words that must all appear, of an example whose title and summary hold
# fewer than two of them (calc_rank_and finds no pair of words to measure).
NO_PAIR_RANK = np.float32(1e-20)
ROWS_PER_FETCH = 50

# One row per lexeme: the ids of the published examples whose search vector holds it (each id as
# four big-endian bytes, one string for all: no per-id parsing in Python; ids are far below
# 2^31); then the same for the rank vector, with each example's ts_rank for that lexeme alone,
# as PostgreSQL computes it.
WORDS_SQL = f"""
SELECT lexeme, string_agg(int4send(example.id::integer), ''), NULL::bytea
FROM {Example._meta.db_table} AS example,
     unnest(tsvector_to_array(example.search_vector)) AS lexeme
WHERE example.status = %(published)s
GROUP BY lexeme
UNION ALL
SELECT word.lexeme,
       string_agg(int4send(example.id::integer), ''),
       string_agg(float4send(ts_rank(
           example.rank_vector,
           ('''' || replace(replace(word.lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery
       )), '')
FROM {Example._meta.db_table} AS example, unnest(example.rank_vector) AS word
WHERE example.status = %(published)s
GROUP BY word.lexeme
"""


@dataclass(frozen=True)
class WordQuery:
    """A search the word index answers: examples holding any of `lexemes`; or, when `every`,
    all of them and none of `excluded`."""

    lexemes: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    every: bool = False


def unquoted(lexeme: str) -> str:
    return lexeme.replace("''", "'").replace("\\\\", "\\")


def word_query(query_text: str) -> WordQuery | None:
    """What a tsquery (as text) asks of the word index: words joined by OR, or by AND, some
    of them negated; None for anything else (phrases, prefixes, mixed operators, exclusions
    alone, no lexeme at all), which stays with PostgreSQL."""
    if ALTERNATIVES.fullmatch(query_text):
        return WordQuery(tuple(dict.fromkeys(map(unquoted, re.findall(LEXEME, query_text)))))
    if not CONJUNCTION.fullmatch(query_text):
        return None
    terms = {(unquoted(lexeme), bool(negated)) for negated, lexeme in NEGATED.findall(query_text)}
    required = tuple(sorted(lexeme for lexeme, negated in terms if not negated))
    excluded = tuple(sorted(lexeme for lexeme, negated in terms if negated))
    if not required:
        return None
    # One distinct word, however often: PostgreSQL ranks it as a single word (calc_rank_or).
    return WordQuery(required, excluded, every=len(required) + len(excluded) > 1)


def as_ids(packed: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(packed, dtype=">i4").astype(np.int64)


@dataclass
class WordIndex:
    """`holders`: for each lexeme, the positions of the examples whose text holds it.
    `ranks`: for each lexeme in a title or a summary, those examples' positions and the
    lexeme's rank in each."""

    holders: dict[str, np.ndarray]
    ranks: dict[str, tuple[np.ndarray, np.ndarray]]

    @classmethod
    def build(cls, locate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]) -> "WordIndex":
        """One query. `locate` turns example ids into positions, and says which it knows."""
        holders, ranks = {}, {}
        # A server-side cursor, read a few rows at a time: the whole result at once (tens of
        # MB at 100,000 examples) would leave the process that much larger for good.
        with connection.chunked_cursor() as cursor:
            cursor.execute(WORDS_SQL, {"published": ExampleStatus.PUBLIE})
            while rows := cursor.fetchmany(ROWS_PER_FETCH):
                for lexeme, packed_ids, packed_ranks in rows:
                    positions, known = locate(as_ids(packed_ids))
                    positions = positions[known].astype(np.int32)
                    if packed_ranks is None:
                        holders[lexeme] = positions
                    else:
                        scores = np.frombuffer(packed_ranks, dtype=">f4").astype(np.float32)
                        ranks[lexeme] = (positions, scores[known])
        return cls(holders, ranks)

    def all_of(
        self, lexemes: tuple[str, ...], excluded: tuple[str, ...], size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the examples holding every lexeme and none of the excluded ones,
        in title order; and those of them whose title or summary holds two of the lexemes or
        more. PostgreSQL ranks words that must all appear by how close two of them stand in
        the title or summary (calc_rank_and): every other example gets the same rank, and
        only these need the database's."""
        found = np.ones(size, dtype=bool)
        for lexeme in lexemes:
            found &= self._holding(lexeme, size)
        for lexeme in excluded:
            found &= ~self._holding(lexeme, size)
        ranked_words = np.zeros(size, dtype=np.int16)
        for lexeme in lexemes:
            if (ranked := self.ranks.get(lexeme)) is not None:
                ranked_words[ranked[0]] += 1
        positions = np.flatnonzero(found)
        return positions, positions[ranked_words[positions] >= 2]

    def _holding(self, lexeme: str, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        if (positions := self.holders.get(lexeme)) is not None:
            mask[positions] = True
        return mask

    def any_of(self, lexemes: tuple[str, ...], size: int) -> np.ndarray:
        """The positions of the examples holding any of the lexemes, best ts_rank first, then
        in title order."""
        found = np.zeros(size, dtype=bool)
        # In single precision, as PostgreSQL computes ts_rank: a double would tell apart ranks
        # that PostgreSQL finds equal, and order them otherwise than by title.
        rank = np.zeros(size, dtype=np.float32)
        for lexeme in lexemes:
            found |= self._holding(lexeme, size)
            if (ranked := self.ranks.get(lexeme)) is not None:
                rank[ranked[0]] += ranked[1]
        positions = np.flatnonzero(found)
        mean = rank[positions] / np.float32(len(lexemes))
        return positions[np.lexsort((positions, -mean))]
