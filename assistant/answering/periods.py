"""The periods a what-changed question names ("between the concluding session in February 2024 and
the reconvened session in August 2024") and the documents that belong to each.

A period is named by dates (a day, a month, a year) and by sessions ("the sixth session"), which
resolve through the documents' own titles and dates, so a new archive needs no list of sessions.
A document belongs to a dated period only when its own date is at least as precise: a report dated
"August 2024" may or may not be from 5 August.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .answer_type import YEAR
from .settings import SESSION_TITLE_WINDOW

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr" \
         r"|jun|jul|aug|sept?|oct|nov|dec)\.?"
_DATES = [  # most precise first: a match is skipped where a more precise one already sits
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>\d{{4}}))?\b", re.I),
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,\s*(?P<y>\d{{4}}))?", re.I),
    re.compile(rf"\b(?P<m>{_MONTH})(?:\s+of)?\s+(?P<y>\d{{4}})\b", re.I),
    # A month alone: capitalised, and "May" only after a preposition (it is also a verb).
    re.compile(r"\b(?P<m>January|February|March|April|June|July|August|September|October|November|December)\b"
               r"|(?:(?<=\bin )|(?<=\bof )|(?<=\bby )|(?<=\bduring )|(?<=\bsince )|(?<=\buntil ))(?P<m2>May)\b"),
    re.compile(r"(?<![\d/.-])\b(?P<y>(?:19|20)\d{2})\b(?![\d/-])"),
]
_SESSION = re.compile(r"\b((?:[\w-]+\s+){1,2})sessions?\b", re.I)
_SEPARATOR = re.compile(r"\b(and|to|from|than|versus|vs|compared|with|till|until|through)\b", re.I)
_BETWEEN = re.compile(r"\b(between|from)\b.+\b(and|to)\b", re.I)  # the two periods follow it
# ("more than a hundred NGOs" counts, it compares no periods)
_AGAINST = re.compile(r"\bdiffer\w* from\b|\bcompared (to|with)\b|(?<!more )(?<!less )(?<!fewer )(?<!rather )(?<!other )\bthan\b",
                      re.I)  # the periods straddle it
# "Evolve" and "unfold" ask for the steps in between: a timeline, not a comparison of two periods.
# ("new" in lower case: "New York" names a place, not a change; "address" adds nothing)
_CHANGE = re.compile(r"\b(chang\w*|shift\w*|differ\w*|moved?|resolved|(?-i:new)|drop\w*|add(?:s|ed|ing|itions?)?|withdr\w*)\b", re.I)
_WHAT_CHANGED = re.compile(r"\bwhat(?:'s| has| have| had)? (changed|shifted|is new|was new|is different|was different)\b", re.I)
# Words before "session" that say which session (the ordinal, "concluding") rather than that it is one.
_GENERIC = {"the", "a", "an", "of", "this", "that", "its", "their", "each", "every", "whole", "entire", "same", "un",
            "end", "start", "beginning", "close", "negotiating", "formal", "informal", "committee", "plenary",
            "between", "and", "to", "from", "in", "at", "during", "after", "before", "over", "by"}
_ORDINALS = {w: f"{i}{s}" for i, (w, s) in enumerate(
    [("first", "st"), ("second", "nd"), ("third", "rd"), ("fourth", "th"), ("fifth", "th"), ("sixth", "th"),
     ("seventh", "th"), ("eighth", "th"), ("ninth", "th"), ("tenth", "th"), ("eleventh", "th"), ("twelfth", "th")], 1)}


_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + "|" + "|".join(_ORDINALS.values()) + r")\b", re.I)


# "the third negotiating session", "the 6th round": a session or round named by its ordinal.
# (and several: "the fifth and sixth sessions", "the first, second or third round")
_ORDINAL_WORD = r"(?:" + "|".join(_ORDINALS) + "|" + "|".join(_ORDINALS.values()) + r")"
_ORDINAL_SESSION = re.compile(rf"\b{_ORDINAL_WORD}(?:(?:,|,? and|,? or|,? to)\s+{_ORDINAL_WORD})*"
                              r"\s+(?:(?!(?:time|times|day|days|week|weeks|part|half)\b)[\w-]+\s+){0,2}?(?:sessions?|rounds?)\b", re.I)


# A session named as a point in time, not as what is asked about: "since the first session", "after the third round".
_FROM_SESSION = re.compile(r"\b(?:since|after|before|between|until|till|following|from|prior to)\s+(?:the\s+|its\s+)?$", re.I)


def ordinal_sessions(text: str, topic: bool = False) -> set[str]:
    """The sessions or rounds a text names by ordinal, as "3rd": "the third negotiating session" -> {"3rd"}.
    `topic`: only those named as what the text is about, not as a point that a span of time runs from or to."""
    return {_ORDINALS.get(w.casefold(), w.casefold()) for m in _ORDINAL_SESSION.finditer(text)
            if not (topic and _FROM_SESSION.search(text[:m.start()]))
            for w in re.findall(_ORDINAL_WORD, m.group(0), re.I)}


def in_place_of(earlier: str, own: str) -> str:
    """The earlier turn with the ordinal or year an elliptical follow-up names put in place of its own:
    "And the second one?" after "Where was the fifth session held?" asks where the second was held, and
    "And in 2023?" after "What did EFF say in 2022?" asks about 2023 (not the earlier turn's session or
    year, which would choose its reports)."""
    for pattern in (_ORDINAL, YEAR):
        named = pattern.findall(own)
        if len(set(w.casefold() for w in named)) == 1 and pattern.search(earlier):
            earlier = pattern.sub(named[0], earlier)
    return earlier


@dataclass
class Expression:
    start: int
    end: int
    date: tuple[str | None, str | None, str | None] | None = None  # (year, month, day), each "" when not given
    session: set[str] = field(default_factory=set)  # the words that say which session


@dataclass
class Period:
    label: str  # the question's own words for it
    documents: set[str]


def expressions(text: str) -> list[list[Expression]]:
    """The question's period expressions, grouped: a session and the date right after it ("the
    concluding session in February 2024") name one period; a separator word starts the next."""
    found = _date_expressions(text)
    for m in _SESSION.finditer(text):
        words = {w.casefold() for w in re.findall(r"[\w-]{2,}", m.group(1))} - _GENERIC
        words = {_ORDINALS.get(w, w) for w in words if not _is_date_word(w)}
        if words:
            found.append(Expression(m.start(), m.end(), session=words))
    found.sort(key=lambda e: e.start)
    groups: list[list[Expression]] = []
    for e in found:
        if groups and not _SEPARATOR.search(text[groups[-1][-1].end:e.start]):
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


def _date_expressions(text: str) -> list[Expression]:
    found: list[Expression] = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            if any(e.start < m.end() and m.start() < e.end for e in found):
                continue
            groups = m.groupdict()
            month = groups.get("m") or groups.get("m2")
            day = groups.get("d")
            number = _month_number(month) if month else None
            if month and not number:
                continue
            date = (groups.get("y"), number, f"{int(day):02d}" if day else None)
            found.append(Expression(m.start(), m.end(), date=date))
    return found


def dates_in(text: str) -> list[tuple[str | None, str | None, str | None]]:
    """Every date a text gives, as (year, month, day) with None for what it leaves out."""
    return [e.date for e in sorted(_date_expressions(text), key=lambda e: e.start)]


# A span of days in one month: "October 25 and 26", "10-12 May", "25 to 26 October".
_DAY_SPAN = re.compile(rf"\b(?:(?P<m1>{_MONTH})\s+)?(?P<a>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and|through|until)\s*"
                       rf"(?P<b>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(?:of\s+)?(?P<m2>{_MONTH}))?(?:,?\s+(?P<y>\d{{4}})\b)?", re.I)


def date_claims(text: str) -> list[set[tuple[str | None, str | None, str | None]]]:
    """The dates a text gives, each as the set of (year, month, day) it may mean: one for a date, every
    day of it for a span of days ("October 25 and 26, 2025"), so that a report of "October 26" fits it."""
    spans = []
    for m in _DAY_SPAN.finditer(text):
        month = m.group("m1") or m.group("m2")
        a, b = int(m.group("a")), int(m.group("b"))
        if month and 1 <= a < b <= 31:
            spans.append((m.start(), m.end(), {(m.group("y"), _month_number(month), f"{d:02d}") for d in range(a, b + 1)}))
    claims = [days for _, _, days in spans]
    for e in sorted(_date_expressions(text), key=lambda e: e.start):
        if not any(start <= e.start < end for start, end, _ in spans):
            claims.append({e.date})
    return claims


def event_months(text: str) -> list[tuple[str, str]]:
    """The months in which reports on the events a text dates may be published, as (year, month): the
    month of each date that gives both, and the month after it ("on 28 February 2022": February and
    March 2022)."""
    months = []
    for y, m, _ in dates_in(text):
        if y and m:
            months += [(y, m), _month_after(y, m)]
    return list(dict.fromkeys(months))


def _month_after(year: str, month: str) -> tuple[str, str]:
    return (str(int(year) + 1), "01") if month == "12" else (year, f"{int(month) + 1:02d}")


def _month_before(year: str, month: str) -> tuple[str, str]:
    return (str(int(year) - 1), "12") if month == "01" else (year, f"{int(month) - 1:02d}")


# Words that make a date the date of a report: "its December 2024 statement", "the 9 August report",
# "reports published in December 2024".
_REPORT_NOUNS = (r"statements?|reports?|releases?|comments|papers?|analys[ie]s|articles?|posts?|announcements?|briefings?"
                 r"|letters?|submissions?|stor(y|ies)|summar(y|ies)|coverage|accounts?|meetings?|notes?|updates?")
_REPORT_AFTER = re.compile(rf"^\W*(?:\w+\W+){{0,2}}?({_REPORT_NOUNS})\b", re.IGNORECASE)
_REPORT_BEFORE = re.compile(rf"\b((published|dated|issued|released|written|posted)\s+(in|on)?|({_REPORT_NOUNS})\s+(of|from|dated))\s*$",
                            re.IGNORECASE)


def report_dates(text: str) -> list[tuple[str | None, str | None, str | None]]:
    """The dates a question gives for the reports it means, as (year, month, day)."""
    return [e.date for e in sorted(_date_expressions(text), key=lambda e: e.start)
            if _REPORT_AFTER.match(text[e.end:]) or _REPORT_BEFORE.search(text[:e.start])]


def report_nouns(text: str) -> set[str]:
    """The words that name a report the question gives by its date ("statement" in "its December 2024
    statement", "the statement of January 2024"): they say which document, not what is asked of it."""
    found = set()
    for e in _date_expressions(text):
        if after := _REPORT_AFTER.match(text[e.end:]):
            found.add(after.group(1).casefold())
        if (before := _REPORT_BEFORE.search(text[:e.start])) and before.group(4):
            found.add(before.group(4).casefold())
    return found


def sessions_named(corpus, text: str) -> set[str]:
    """The documents whose titles name a session the question names ("the sixth session")."""
    found: set[str] = set()
    for group in expressions(text):
        named: set[str] = set()
        for e in group:
            if e.session:
                # Only titles holding "session" and the question's own words are read (an ordinal may be
                # spelt "sixth" or "6th" in a title, so it narrows nothing here; _by_session matches it).
                spelt = [w for w in e.session if w not in _ORDINALS.values()]
                named |= _by_session(e.session, corpus.catalog.titles_with(["session", *spelt]))
        found |= _of_the_months(corpus, named, group) if named else named
    return found


def _of_the_months(corpus, documents: set[str], group: list[Expression]) -> set[str]:
    """Of the reports on a session, those of the months its date names ("the January-February 2024
    concluding session": not the reports on the reconvened concluding session of August); a session may
    start in the month before and be reported in the month after. All of them when none is of those
    months, or no month is named."""
    years = {e.date[0] for e in group if e.date and e.date[0]}
    months = set()
    for e in group:
        if e.date and e.date[1]:
            for y in ({e.date[0]} if e.date[0] else years):
                m = f"{int(e.date[1]):02d}"
                months |= {"-".join(p) for p in ((y, m), _month_after(y, m), _month_before(y, m))}
    if not months:
        return documents
    dates = corpus.dates(documents)
    kept = {d for d in documents if dates.get(d, "")[:7] in months}
    return kept or documents


def asks_change(text: str) -> bool:
    """Does the question ask what changed between two periods (or, naming none, what changed at all)?"""
    if _WHAT_CHANGED.search(text):
        return True
    groups = expressions(text)
    between = bool(_BETWEEN.search(text) or _AGAINST.search(text))
    return bool(groups) and between and bool(_CHANGE.search(text))


def resolve(corpus, text: str, preferred: set[str] | None = None) -> list[Period]:
    """The question's periods, earlier first, each with its documents. One period named ("between the
    June 2021 draft and the final text") makes the other everything dated after it (or before it)."""
    groups = expressions(text)
    between = _BETWEEN.search(text)
    if between:  # "the organizational session's timing shift from 2019 to 2021": the topic precedes "from"
        groups = [g for g in groups if g[0].start >= between.start()] or groups
    groups = groups[:2]
    if not groups:
        return []
    catalog = corpus.titles_and_dates()
    periods = [Period(text[g[0].start:g[-1].end], _documents(g, catalog, preferred or set())) for g in groups]
    if len(periods) == 2:
        _share_out(periods, catalog)
    elif periods[0].documents:
        dates = [catalog[d][1] for d in periods[0].documents if catalog[d][1]]
        # "between <named> and the final text", "since <named>": the other period follows; otherwise
        # ("what changed in August?") the named period is the later one
        since = re.search(r"\b(since|after)\s+(the\s+)?$", text[:groups[0][0].start], re.I)
        after = bool(since) or _SEPARATOR.search(text, groups[0][-1].end) is not None
        if dates:
            edge = max(dates) if after else min(dates)
            other = {d for d, (_, date) in catalog.items() if date and (date[:len(edge)] > edge if after else date < edge[:len(date)])}
            label = f"after {periods[0].label}" if after else f"before {periods[0].label}"
            periods = periods + [Period(label, other)] if after else [Period(label, other)] + periods
    if len(periods) == 2 and "" < _span(periods[1], catalog) < _span(periods[0], catalog):
        periods.reverse()  # "what changed between August and February?" still reads February first
    return periods


def _documents(group: list[Expression], catalog: dict[str, tuple[str, str]], preferred: set[str]) -> set[str]:
    named = [_by_session(e.session, catalog) for e in group if e.session]
    dated = [_by_date(e.date, catalog) for e in group if e.date]
    by_name = set().union(*named) if named else None
    by_date = set.intersection(*dated) if dated else None
    # When the session's name and its date name different reports, a month or a day decides: "the concluding session
    # in January 2024" is the one of the reports of that month, not the reconvened one of August whose titles also
    # say "concluding". A year alone says less than the name: "the opening session in 2022".
    by_month = any(e.date[1] for e in group if e.date)
    options = [o for o in ([by_name & by_date] if by_name is not None and by_date is not None else [])
               + ([by_date, by_name] if by_month else [by_name, by_date]) if o]
    if preferred:  # a publisher the question names ("the EFF's campaign") narrows each period to its reports
        for option in options:
            if option & preferred:
                return option & preferred
    return options[0] if options else set()


def _by_session(words: set[str], catalog) -> set[str]:
    out = set()
    for doc_id, (title, _) in catalog.items():
        tokens = [t.casefold() for t in re.findall(r"[\w-]+", title)]
        for i, token in enumerate(tokens):
            if token in ("session", "sessions"):
                window = {_ORDINALS.get(t, t) for t in tokens[max(0, i - SESSION_TITLE_WINDOW):i]}
                if words <= window:
                    out.add(doc_id)
                    break
    return out


def _by_date(date, catalog) -> set[str]:
    year, month, day = date
    wanted = [year, month, day]
    precision = max(i + 1 for i, v in enumerate(wanted) if v) if any(wanted) else 0
    out = set()
    for doc_id, (_, value) in catalog.items():
        parts = value[:10].split("-") if value else []
        if len(parts) < precision:
            continue  # the document's date is vaguer than the period
        if all(w is None or (i < len(parts) and parts[i] == w) for i, w in enumerate(wanted)):
            out.add(doc_id)
    return out


def _share_out(periods: list[Period], catalog) -> None:
    """A document both periods claim ("the reconvened concluding session") goes to the period whose
    other documents are nearest it in date, or to neither when that cannot be told."""
    a, b = periods
    shared = a.documents & b.documents
    if not shared:
        return
    own_a = [catalog[d][1] for d in a.documents - shared if catalog[d][1]]
    own_b = [catalog[d][1] for d in b.documents - shared if catalog[d][1]]
    for doc_id in shared:
        a.documents.discard(doc_id)
        b.documents.discard(doc_id)
        date = catalog[doc_id][1]
        if not (date and own_a and own_b):
            continue
        to_a = min(_distance(date, d) for d in own_a)
        to_b = min(_distance(date, d) for d in own_b)
        if to_a != to_b:
            (a if to_a < to_b else b).documents.add(doc_id)


def _distance(x: str, y: str) -> int:
    def days(value: str) -> int:
        parts = [int(p) for p in value[:10].split("-")] + [6, 15][len(value[:10].split("-")) - 1:]
        return parts[0] * 372 + parts[1] * 31 + parts[2]
    return abs(days(x) - days(y))


def _span(period: Period, catalog) -> str:
    dates = sorted(catalog[d][1] for d in period.documents if d in catalog and catalog[d][1])
    return dates[0] if dates else ""


def _month_number(name: str) -> str | None:
    """"August", "aug." or "08" -> "08"; None for what is no month ("23" of "2022-23", a span of years)."""
    if name.isdigit():
        return f"{int(name):02d}" if 1 <= int(name) <= 12 else None
    key = name.casefold().rstrip(".")[:3]
    return f"{[m[:3] for m in _MONTHS].index(key) + 1:02d}"


def _is_date_word(word: str) -> bool:
    return word.isdigit() or word in _MONTHS


# The words before a date that make it where a span of time starts ("once the text was agreed in August 2024", "since
# 2022") or ends ("until 2021", "to the close of the talks in August 2024"), within a few words.
_STARTS = re.compile(r"\b(?:since|after|once|following|from|starting|beginning)\b(?:\W+\w+){0,7}\W*$", re.I)
_ENDS = re.compile(r"\b(?:until|till|up to|to|through|by|before|prior to)\b(?:\W+\w+){0,7}\W*$", re.I)


def window(text: str) -> tuple[str | None, str | None]:
    """The span of time a question asks about, as the months ("YYYY-MM") it starts and ends in, None where it is
    open: "between February 2022 and January 2024" -> ("2022-02", "2024-01"); "Once the text was agreed in August
    2024, how did …?" -> ("2024-08", None). Dates without a year are left out: no span can be placed by them."""
    dated = [e for e in _date_expressions(text) if e.date and e.date[0]]
    if not dated:
        return None, None
    months = [(e, f"{e.date[0]}-{e.date[1] or '01'}", f"{e.date[0]}-{e.date[1] or '12'}") for e in dated]
    if len(dated) >= 2:
        return min(m[1] for m in months), max(m[2] for m in months)
    e, first, last = months[0]
    before = text[:e.start]
    # (The nearer word decides: "from proposing it to the close of the talks in August 2024" ends there.)
    start, end = _STARTS.search(before), _ENDS.search(before)
    if start and (not end or start.start() > end.start()):
        return first, None
    if end:
        return None, last
    return None, None


def in_window(date: str, lower: str | None, upper: str | None) -> bool:
    """Whether a report's date ("2024-08-09", "2024-08") falls in the span, or in the month after its end (an event is
    reported in its month or the next)."""
    # (A date of a year alone is in the span if any month of that year is.)
    earliest, latest = (date[:7], date[:7]) if len(date) >= 7 else (f"{date[:4]}-01", f"{date[:4]}-12")
    if lower and latest < lower:
        return False
    return not upper or earliest <= month_after(upper)


def month_after(month: str) -> str:
    """The month after a "YYYY-MM" month, as one."""
    return "-".join(_month_after(*month.split("-")))
