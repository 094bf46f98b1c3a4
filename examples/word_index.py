"""The words of the published examples, with where they stand, kept in memory beside the
directory index: a search for words, phrases or hyphenated words (« tiers-lieu »), with or
without exclusions, or for words joined by « or », reads no row. Same results, same ranks, same
order as PostgreSQL's ranked search.

Why: PostgreSQL's GIN index says at once which rows hold a word, but to return their ids and
ranks it must then read every one of them; to check a phrase it must also read each one's full
search vector, which at 100,000 examples lies outside the row (TOAST). A common word is in a
third to half of the directory (40 to 60 ms per search); « tiers-lieu » in 3,000 examples, whose
vectors cost 16,000 buffer reads (27 ms). Here the same searches are a few array operations.

What is kept, for every lexeme (french_unaccent, as in the vectors): the examples holding it,
and in each its word positions, as PostgreSQL stores them (WordEntryPos: position in the 14 low
bits, weight in the 2 high ones); once for the search vector (the whole text, to match) and once
for the rank vector (title and summary, to rank).

Matching follows TS_execute: every word in the text, no excluded one, and for a phrase each word
exactly its distance after the previous one (`<->` is 1, `<2>` when a stop word stood between).
Ranking is ts_rank with its default weights and no normalisation (tsrank.c): for words joined by
AND or in a phrase, calc_rank_and, which scores every pair of distinct query words by how close
they stand in the title or summary; otherwise calc_rank_or, the mean of each word's own score.
Both are computed with C's precision at each step (single precision where tsrank.c stores a
float, double where it computes with one), so that equal ranks stay equal and ties keep the
database's title order: tests/test_word_index.py compares every rank with PostgreSQL's.

What is left to PostgreSQL: a search whose words are mixed otherwise (a phrase in an « or »,
parentheses), exclusions alone, and the typo fallback.
"""

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection

from .models import Example
from .status import ExampleStatus

# One token of a tsquery's text: a quoted lexeme (quotes and backslashes doubled), or an operator.
TOKEN = re.compile(r"\s*(?:'((?:[^'\\]|''|\\\\)+)'|(!|&|\||<->|<\d+>|\(|\)))")
FOLLOWED_BY = re.compile(r"<(?:-|(\d+))>")

POSITION_BITS = 14
POSITION = (1 << POSITION_BITS) - 1
# The last position PostgreSQL keeps (MAXENTRYPOS - 1): later words all stand there.
LAST_POSITION = POSITION
# ts_rank's default weights, by weight code: D, C, B, A.
WEIGHTS = np.array([0.1, 0.2, 0.4, 1.0], dtype=np.float32)
# The weight letters of unnest(tsvector), as ASCII codes, minus this: D=0, C=1, B=2, A=3.
WEIGHT_LETTER_BASE = ord("D")
# calc_rank's rank for words that must all appear when no two of them stand in the title or
# summary, and for any search when those are empty.
NO_PAIR_RANK = np.float32(1e-20)
EMPTY_RANK = np.float32(0.0)
# calc_rank_or's divisor: π²/6, as written in tsrank.c.
PI_SQUARED_OVER_SIX = 1.64493406685
ROWS_PER_FETCH = 50


def word_distance(distance: int) -> np.float32:
    """tsrank.c's word_distance: how much two words `distance` positions apart count."""
    if distance > 100:
        return np.float32(1e-30)
    return np.float32(1.0 / (1.005 + 0.05 * math.exp(distance / 1.5 - 2)))


# Distances over 100 all weigh the same; index 101 stands for them.
WORD_DISTANCES = np.array([0.0, *map(word_distance, range(1, 102))], dtype=np.float32)

# One row per lexeme and vector: the ids of the published examples holding it (each id as four
# big-endian bytes, one string for all: no per-id parsing in Python; ids are far below 2^31);
# how many positions each has (two bytes each); all those positions as text (sending them as
# binary costs PostgreSQL as much, and numpy reads text in one call); for the rank vector, the
# weight letter of each.
WORDS_SQL = f"""
SELECT 'text', word.lexeme,
       string_agg(int4send(example.id::integer), ''),
       string_agg(int2send(coalesce(array_length(word.positions, 1), 0)::smallint), ''),
       string_agg(array_to_string(word.positions, ' '), ' '),
       NULL
FROM {Example._meta.db_table} AS example, unnest(example.search_vector) AS word
WHERE example.status = %(published)s
GROUP BY word.lexeme
UNION ALL
SELECT 'title', word.lexeme,
       string_agg(int4send(example.id::integer), ''),
       string_agg(int2send(coalesce(array_length(word.positions, 1), 0)::smallint), ''),
       string_agg(array_to_string(word.positions, ' '), ' '),
       string_agg(array_to_string(word.weights, ''), '')
FROM {Example._meta.db_table} AS example, unnest(example.rank_vector) AS word
WHERE example.status = %(published)s
GROUP BY word.lexeme
"""

# A phrase: its lexemes, each with its distance from the first.
Phrase = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class WordQuery:
    """A search the word index answers. When `every`: the examples holding all of `required`,
    none of `excluded`, and each phrase; otherwise those holding any of `required`."""

    required: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    every: bool = False

    @property
    def operands(self) -> list[str]:
        """Every distinct lexeme of the query, excluded ones too, in tsrank.c's order
        (SortAndUniqItems: byte order)."""
        lexemes = {*self.required, *self.excluded}
        lexemes.update(lexeme for phrase in self.phrases for lexeme, _ in phrase)
        return sorted(lexemes, key=lambda lexeme: lexeme.encode())


def unquoted(lexeme: str) -> str:
    return lexeme.replace("''", "'").replace("\\\\", "\\")


@dataclass(frozen=True)
class Token:
    """A quoted lexeme of a tsquery's text (`lexeme`), or an operator."""

    lexeme: str | None = None
    operator: str | None = None


def tokens_of(query_text: str) -> list[Token] | None:
    tokens, position, end = [], 0, len(query_text.rstrip())
    while position < end:
        if not (match := TOKEN.match(query_text, position)):
            return None
        lexeme, operator = match.groups()
        tokens.append(Token(None if lexeme is None else unquoted(lexeme), operator))
        position = match.end()
    return tokens


def split(tokens: list[Token], operator: str) -> list[list[Token]]:
    parts = [[]]
    for token in tokens:
        if token.operator == operator:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def phrase_of(terms: list[Token]) -> Phrase | None:
    """Lexemes each followed by `<->` or `<N>`: the phrase, each lexeme with its distance from
    the first (PostgreSQL's phrases chain left to right)."""
    lexemes, operators = terms[::2], terms[1::2]
    if len(lexemes) != len(operators) + 1 or any(term.lexeme is None for term in lexemes):
        return None
    distances = [0]
    for term in operators:
        if not (match := FOLLOWED_BY.fullmatch(term.operator or "")):
            return None
        distances.append(distances[-1] + int(match.group(1) or 1))
    return tuple((term.lexeme, distance) for term, distance in zip(lexemes, distances, strict=True))


def word_query(query_text: str) -> WordQuery | None:
    """What a tsquery (as text) asks of the word index: lexemes joined by OR; or lexemes and
    phrases joined by AND, lexemes possibly negated. None for anything else (parentheses, a
    phrase in an OR, prefixes, exclusions alone, no lexeme), which stays with PostgreSQL."""
    tokens = tokens_of(query_text)
    if not tokens or any(token.operator in ("(", ")") for token in tokens):
        return None
    alternatives = split(tokens, "|")
    if len(alternatives) > 1:
        if not all(len(term) == 1 and term[0].lexeme is not None for term in alternatives):
            return None
        return WordQuery(tuple(dict.fromkeys(term[0].lexeme for term in alternatives)))
    required, excluded, phrases = set(), set(), []
    for terms in split(tokens, "&"):
        if len(terms) == 1 and terms[0].lexeme is not None:
            required.add(terms[0].lexeme)
        elif len(terms) == 2 and terms[0].operator == "!" and terms[1].lexeme is not None:
            excluded.add(terms[1].lexeme)
        elif len(terms) > 2 and (phrase := phrase_of(terms)) is not None:
            phrases.append(phrase)
        else:
            return None
    if not required and not phrases:
        return None
    # PostgreSQL ranks by calc_rank_and when the query's root is AND or a phrase.
    every = len(required) + len(excluded) + len(phrases) > 1 or bool(phrases)
    return WordQuery(tuple(sorted(required)), tuple(sorted(excluded)), tuple(phrases), every)


@dataclass(frozen=True)
class Postings:
    """Where one lexeme stands: the examples holding it (positions in the directory index, in
    ascending order), how many times each, and those word positions, example after example,
    each example's in ascending order as PostgreSQL keeps them (WordEntryPos)."""

    examples: np.ndarray
    counts: np.ndarray
    words: np.ndarray
    # In the title and summary, each example's calc_rank_or score for this lexeme alone, before
    # its division by π²/6: the weights of its occurrences, the n-th divided by n², the
    # heaviest counted whole (tsrank.c, in single precision as there).
    scores: np.ndarray | None = None

    def among(self, selected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every word position of the examples `selected` (a mask over the directory): the
        example of each, and the position."""
        rows = np.flatnonzero(selected[self.examples])
        return np.repeat(self.examples[rows], self.counts[rows]), self.words[self._spans(rows)]

    def _spans(self, rows: np.ndarray) -> np.ndarray:
        """Where the word positions of these rows lie in `words`, row after row."""
        lengths = self.counts[rows].astype(np.int64)
        return spans(np.cumsum(self.counts, dtype=np.int64)[rows] - lengths, lengths)

    def sorted(self) -> "Postings":
        """The same, examples in ascending order, as `among` and the ranking need them."""
        rows = np.argsort(self.examples, kind="stable")
        return Postings(self.examples[rows], self.counts[rows], self.words[self._spans(rows)])

    def scored(self) -> "Postings":
        """The same, with each example's score (the positions must carry their weights)."""
        rows = np.repeat(np.arange(len(self.examples)), self.counts)
        series = np.zeros(len(self.examples), dtype=np.float32)
        heaviest = np.full(len(self.examples), -1.0, dtype=np.float32)
        heaviest_at = np.zeros(len(self.examples), dtype=np.float32)
        weights = WEIGHTS[self.words >> POSITION_BITS]
        for step, (at, weight) in enumerate(steps(rows, weights)):
            series[at] += weight / np.float32((step + 1) * (step + 1))
            heavier = weight > heaviest[at]
            heaviest[at] = np.where(heavier, weight, heaviest[at])
            heaviest_at[at] = np.where(heavier, np.float32(step), heaviest_at[at])
        square = (heaviest_at + 1) * (heaviest_at + 1)
        scores = heaviest + series - heaviest / square
        return Postings(self.examples, self.counts, self.words, scores)


def postings_from(
    packed_ids: bytes, packed_counts: bytes, positions: str, weights: str | None, locate
) -> Postings:
    examples, known = locate(np.frombuffer(packed_ids, dtype=">i4").astype(np.int64))
    counts = np.frombuffer(packed_counts, dtype=">u2").astype(np.uint16)
    words = np.fromstring(positions, dtype=np.uint16, sep=" ") if positions else np.zeros(0)
    words = words.astype(np.uint16)
    if weights:
        codes = np.frombuffer(weights.encode("ascii"), dtype=np.uint8)
        words |= (WEIGHT_LETTER_BASE - codes).astype(np.uint16) << POSITION_BITS
    postings = Postings(
        examples[known].astype(np.int32), counts[known], words[np.repeat(known, counts)]
    ).sorted()
    return postings if weights is None else postings.scored()


@dataclass
class WordIndex:
    """`texts`: for each lexeme, where it stands in the examples' whole text (search vector).
    `titles`: the same in their title and summary (rank vector), with weights. `titled`: the
    examples whose title or summary holds any lexeme at all (ts_rank is 0 for the others)."""

    texts: dict[str, Postings]
    titles: dict[str, Postings]
    titled: np.ndarray

    @classmethod
    def build(
        cls, locate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], size: int
    ) -> "WordIndex":
        """One query. `locate` turns example ids into positions, and says which it knows."""
        vectors = {"text": {}, "title": {}}
        # A server-side cursor, read a few rows at a time: the whole result at once (tens of
        # MB at 100,000 examples) would leave the process that much larger for good.
        with connection.chunked_cursor() as cursor:
            cursor.execute(WORDS_SQL, {"published": ExampleStatus.PUBLIE})
            while rows := cursor.fetchmany(ROWS_PER_FETCH):
                for vector, lexeme, *packed in rows:
                    vectors[vector][lexeme] = postings_from(*packed, locate)
        titled = np.zeros(size, dtype=bool)
        for postings in vectors["title"].values():
            titled[postings.examples] = True
        return cls(vectors["text"], vectors["title"], titled)

    def find(self, query: WordQuery, size: int) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the examples the query finds, in ascending order, and the ts_rank
        of each."""
        found = self._matches(query, size)
        positions = np.flatnonzero(found)
        operands = query.operands
        if query.every and len(operands) > 1:
            ranks = self._rank_and(operands, found, positions)
        else:
            ranks = self._rank_or(operands, found, positions)
        ranks[~self.titled[positions]] = EMPTY_RANK
        return positions, ranks

    def _holding(self, lexeme: str, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        if (postings := self.texts.get(lexeme)) is not None:
            mask[postings.examples] = True
        return mask

    def _matches(self, query: WordQuery, size: int) -> np.ndarray:
        if not query.every:
            found = np.zeros(size, dtype=bool)
            for lexeme in query.required:
                found |= self._holding(lexeme, size)
            return found
        found = np.ones(size, dtype=bool)
        phrase_lexemes = {lexeme for phrase in query.phrases for lexeme, _ in phrase}
        for lexeme in {*query.required, *phrase_lexemes}:
            found &= self._holding(lexeme, size)
        for lexeme in query.excluded:
            found &= ~self._holding(lexeme, size)
        for phrase in query.phrases:
            found = self._holding_phrase(phrase, found)
        return found

    def _holding_phrase(self, phrase: Phrase, candidates: np.ndarray) -> np.ndarray:
        """Among the candidates (which hold every lexeme of the phrase), those where each
        lexeme stands exactly its distance after the first: each occurrence is keyed by its
        example and the position the phrase would start at, and the keys of all lexemes
        must meet. After each lexeme only the examples still matching are read further (a
        phrase of one common word repeated stays cheap)."""
        if phrase[-1][1] >= LAST_POSITION:
            return np.zeros_like(candidates)
        starts = None
        for lexeme, distance in phrase:
            if (postings := self.texts.get(lexeme)) is None:
                return np.zeros_like(candidates)
            examples, words = postings.among(candidates)
            keys = (examples.astype(np.int64) << 16) + (words & POSITION) + (1 << 15) - distance
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            candidates = np.zeros_like(candidates)
            candidates[starts >> 16] = True
        return candidates

    def _title_words(
        self, lexeme: str, found: np.ndarray, positions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Where the lexeme stands in the titles and summaries of the found examples: for each
        word position, the example's row among `positions`, and the position."""
        if (postings := self.titles.get(lexeme)) is None:
            return None
        examples, words = postings.among(found)
        return np.searchsorted(positions, examples), words

    def _rank_or(self, operands: list[str], found: np.ndarray, positions: np.ndarray):
        """calc_rank_or: the sum of each lexeme's own score, divided by their number."""
        ranks = np.zeros(len(positions), dtype=np.float32)
        for lexeme in operands:
            if (postings := self.titles.get(lexeme)) is None:
                continue
            rows = np.flatnonzero(found[postings.examples])
            at = np.searchsorted(positions, postings.examples[rows])
            ranks[at] = ranks[at] + postings.scores[rows].astype(np.float64) / PI_SQUARED_OVER_SIX
        return ranks / np.float32(len(operands))

    def _rank_and(self, operands: list[str], found: np.ndarray, positions: np.ndarray):
        """calc_rank_and: every pair of occurrences of two distinct lexemes of the query in the
        title or summary scores the square root of their weights times how close they stand;
        the scores combine as 1 - (1 - rank)(1 - score), in tsrank.c's order (lexemes in byte
        order, each with those before it, occurrences in position order)."""
        title_words = [self._title_words(lexeme, found, positions) for lexeme in operands]
        rows, scores = [], []
        for later, current in enumerate(title_words):
            if current is None:
                continue
            for earlier in title_words[:later]:
                if earlier is not None:
                    pair_rows, pair_scores = pair_scores_of(current, earlier)
                    rows.append(pair_rows)
                    scores.append(pair_scores)
        ranks = np.full(len(positions), -1.0, dtype=np.float32)
        if rows:
            rows, scores = np.concatenate(rows), np.concatenate(scores)
            order = np.argsort(rows, kind="stable")
            for at, score in steps(rows[order], scores[order]):
                previous = ranks[at]
                combined = 1.0 - (1.0 - previous.astype(np.float64)) * (
                    1.0 - score.astype(np.float64)
                )
                ranks[at] = np.where(previous < 0, score, combined.astype(np.float32))
        ranks[ranks < 0] = NO_PAIR_RANK
        return ranks


def pair_scores_of(
    current: tuple[np.ndarray, np.ndarray], earlier: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of an occurrence of `current` and one of `earlier` in the same example
    (current's occurrences outside, earlier's inside), at a non-zero distance: the example's
    row and the pair's score, sqrt(weight × weight × word_distance) in single precision."""
    rows, words = current
    earlier_rows, earlier_words = earlier
    firsts = np.searchsorted(earlier_rows, rows, side="left")
    counts = np.searchsorted(earlier_rows, rows, side="right") - firsts
    outer = np.repeat(np.arange(len(rows)), counts)
    inner = spans(firsts, counts)
    left, right = words[outer], earlier_words[inner]
    distances = np.abs((left & POSITION).astype(np.int32) - (right & POSITION).astype(np.int32))
    apart = distances > 0
    left, right, distances = left[apart], right[apart], distances[apart]
    product = (
        WEIGHTS[left >> POSITION_BITS]
        * WEIGHTS[right >> POSITION_BITS]
        * WORD_DISTANCES[np.minimum(distances, 101)]
    )
    return rows[outer][apart], np.sqrt(product.astype(np.float64)).astype(np.float32)


def spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indexes start, start + 1, … of each span, one span after the other."""
    firsts = np.cumsum(lengths) - lengths
    return np.repeat(starts - firsts, lengths) + np.arange(lengths.sum())


def steps(rows: np.ndarray, values: np.ndarray) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    """Values grouped by row (rows in ascending order), taken a step at a time: the first
    value of every row, then the second of every row that has one, and so on; each step's
    rows are distinct, so a step updates them all at once."""
    if not len(rows):
        return
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    lengths = np.diff(np.r_[starts, len(rows)])
    step = np.arange(len(rows)) - np.repeat(starts, lengths)
    order = np.argsort(step, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(step))]
    for first, last in zip(bounds[:-1], bounds[1:], strict=True):
        picked = order[first:last]
        yield rows[picked], values[picked]
