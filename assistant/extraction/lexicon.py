"""Words that attribute a stance, and the small grammar around them.

Every pattern is matched on a sentence whose quoted material (treaty text,
speech) has been masked, so words inside quotes never count as the
delegation's own verbs. Patterns are ordered by how specific the stance is:
when one clause carries several cues ("raised concerns about Article 24 and
questioned why ..."), the most specific wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Most specific first. A clause takes the stance of its highest-priority cue.
PRIORITY = ("withdraws", "calls_for_deletion", "offers", "questions", "prefers", "opposes",
            "proposes", "supports", "expresses_concern")

_NEG = r"(?:did|does|do|could|would|can|will)(?:n[’']t|\s+not)"
_CHANGE = r"(?:changing|replacing|adding|including|inserting|introducing|amending|appending|expanding|narrowing|" \
          r"limiting|broadening|rewording|redrafting|merging|moving|a\s+new|new)"
_KEEP = r"(?:keep|keeping|retain|retaining|maintain|maintaining|preserve|preserving)"
_DELETE_NOUN = r"(?:deletion|removal|deleting|removing|striking|elimination)"
_DELETE_VERB = r"(?:delete|remove|strike|eliminate|drop)"
_REPORT = r"(?:stress(?:ed|es|ing)?|emphasi[sz](?:ed|es|ing|e)|underlin(?:ed|es|ing|e)|highlight(?:ed|s|ing)?|" \
          r"point(?:ed|s|ing)?\s+out|not(?:ed|es|ing)|recall(?:ed|s|ing)?|reiterat(?:ed|es|ing))"


@dataclass(frozen=True)
class CuePattern:
    stance: str | None  # None for "reason" verbs: they report, they take no stance
    kind: str           # active (subject before) | passive (actors after) | ellipsis ("..., while X didn't")
    regex: re.Pattern
    weak: bool = False  # a looser signal: lower confidence


def _p(stance, kind, pattern, weak=False):
    return CuePattern(stance, kind, re.compile(pattern, re.IGNORECASE), weak)


CUES: list[CuePattern] = [
    # -- withdraws
    _p("withdraws", "active", r"\bwithdr(?:ew|awn|aws|awing|aw)\b"),
    _p("withdraws", "active", r"\b(?:retracted|abandoned)\s+(?:its|their|the|this|that)\b"),
    _p("withdraws", "active", r"\bdropped\s+(?:its|their)\s+(?:proposal|request|amendment|objection|suggestion)s?\b"),
    # -- calls for deletion
    _p("calls_for_deletion", "active", rf"\b(?:call(?:ed|s|ing)?|ask(?:ed|s|ing)?|push(?:ed|es|ing)?|press(?:ed|es|ing)?|argu(?:ed|es|ing)|advocat(?:ed|es|ing)|insist(?:ed|s|ing)?)\s+(?:for|on)\s+(?:the\s+)?{_DELETE_NOUN}\b"),
    _p("calls_for_deletion", "active", rf"\b(?:call(?:ed|s|ing)?|ask(?:ed|s|ing)?|want(?:ed|s|ing)?|sought|seek(?:s|ing)?|push(?:ed|es|ing)?|propos(?:ed|es|ing)|suggest(?:ed|s|ing)?|urg(?:ed|es|ing))\s+to\s+{_DELETE_VERB}\b"),
    _p("calls_for_deletion", "active", rf"\b(?:propos(?:ed|es|ing|e)|suggest(?:ed|s|ing)?|request(?:ed|s|ing)?|demand(?:ed|s|ing)?|favou?r(?:ed|s|ing)?|support(?:ed|s|ing)?|want(?:ed|s|ing)?|sought)\s+(?:the\s+)?{_DELETE_NOUN}\b"),
    _p("calls_for_deletion", "active", rf"\b{_DELETE_VERB}(?:d)?\s+(?:altogether|entirely)\b"),
    # -- offers
    _p("offers", "active", r"\boffer(?:ed|s)?\s+(?:to\s+(?:host|fund|pay|provide|support|contribute|share|train|help)\b|(?:\w+\s+){0,2}?(?:support|assistance|funding|funds|resources|help|training|expertise|financing|contributions?|experts|capacity)\b)"),
    _p("offers", "active", r"\b(?:pledged|volunteered)\b"),
    # -- questions
    _p("questions", "active", r"\bquestion(?:ed|s|ing)\b"),
    _p("questions", "active", r"\bask(?:ed|s|ing)?\s+(?:why|whether|how|what|if)\b"),
    _p("questions", "active", r"\b(?:sought|seek(?:s|ing)?|request(?:ed|s|ing)?|asked\s+for)\s+clarification\b"),
    _p("questions", "active", r"\b(?:queried|wondered)\b"),
    # -- prefers
    _p("prefers", "active", r"\bprefer(?:red|s|ring)?\b"),
    _p("prefers", "active", r"\b(?:expressed\s+)?(?:a\s+)?preference\s+for\b"),
    # -- opposes
    _p("opposes", "active", rf"\b{_NEG}\s+(?:support|agree(?:\s+with|\s+to)?|accept|back|endorse|join)\b"),
    _p("opposes", "active", r"\b(?:refused|declined|failed)\s+to\s+(?:support|accept|agree|back|endorse)\b"),
    _p("opposes", "active", r"\boppos(?:ed|es|ing|e)\b(?!\s+views)"),
    _p("opposes", "active", r"\bobject(?:ed|s|ing)?\s+to\b"),
    _p("opposes", "active", r"\breject(?:ed|s|ing)?\b"),
    _p("opposes", "active", r"\b(?:was|were|is|are|remained|stood)\s+(?:firmly\s+|strongly\s+)?against\b"),
    _p("opposes", "active", r"\b(?:argu(?:ed|es|ing)|spoke|spoken|cautioned|warned|push(?:ed|es|ing)?\s+back)\s+against\b"),
    _p("opposes", "active", r"\b(?:disagreed|resisted|rebuffed)\b"),
    _p("opposes", "active", r"\bas\s+(?:a\s+|an\s+)?(?:duplication|unnecessary|redundant|superfluous)\b", weak=True),
    _p("opposes", "passive", r"\b(?:met\s+with|faced|drew)\s+(?:strong\s+|firm\s+)?(?:opposition|resistance|objections?|criticism|rejection)\s+from\b"),
    _p("opposes", "passive", r"\b(?:opposed|rejected|resisted)\s+by\b"),
    _p("opposes", "passive", r"\b(?:opposition|objections?)\s+from\b"),
    _p("opposes", "passive", rf"\b{_NEG}\s+(?:find|get|receive|gain|win)\s+(?:\w+\s+)?support\s+from\b"),
    _p("opposes", "ellipsis", rf"\b{_NEG}(?:\s+do\s+so)?(?=\s*(?:[.;,)]|$))"),
    # -- proposes
    _p("proposes", "active", r"\bpropos(?:ed|es|ing|e)\b"),
    _p("proposes", "active", r"\bsuggest(?:ed|s|ing)?\b"),
    _p("proposes", "active", r"\b(?:put|puts|putting)\s+forward\b"),
    _p("proposes", "active", r"\b(?:request(?:ed|s|ing)?|sought|seek(?:s|ing)?)\s+(?:an?\s+|the\s+)?(?:amendments?|change|changes|addition|insertion|"
                             r"new\s+\w+|reference|clarification\s+of\s+the\s+text)\b"),
    _p("proposes", "active", r"\b(?:made|provided|submitted|presented|offered|tabled)\s+(?:\w+\s+){0,2}?(?:suggestions|proposals|amendments|"
                             r"textual\s+proposals|drafting\s+proposals)\b"),
    _p("proposes", "active", r"\b(?:tabled|submitted\s+(?:an?\s+)?(?:amendment|proposal|text))\b"),
    _p("proposes", "active", r"\bintroduc(?:ed|es|ing)\s+(?:an?\s+)?(?:amendment|proposal|text|language|wording)\b"),
    _p("proposes", "active", rf"\b(?:advocat(?:ed|es|ing)|call(?:ed|s|ing)?|argu(?:ed|es|ing)|push(?:ed|es|ing)?|press(?:ed|es|ing)?)\s+for\s+{_CHANGE}\b"),
    _p("proposes", "active", r"\b(?:call(?:ed|s|ing)?|ask(?:ed|s|ing)?|urg(?:ed|es|ing))\s+(?:for|to\s+(?:add|include|insert|replace|change|amend|introduce))\b", weak=True),
    _p("proposes", "active", r"\bshould\s+(?:include|cover|contain|add|incorporate|refer\s+to)\b", weak=True),
    _p("proposes", "passive", r"\b(?:proposed|suggested|put\s+forward|tabled|submitted|sponsored|co-sponsored|introduced|advanced)\s+by\b"),
    # -- supports
    _p("supports", "active", r"\bsupport(?:ed|s|ing)?\b(?!\s+from)"),
    _p("supports", "active", r"\b(?:express(?:ed|es|ing)|voic(?:ed|es|ing)|declar(?:ed|es|ing)|offer(?:ed|s|ing))\s+(?:its\s+|their\s+|strong\s+|full\s+)*support\b"),
    _p("supports", "active", r"\b(?:backed|endors(?:ed|es|ing)|seconded|championed)\b"),
    _p("supports", "active", r"\bwelcom(?:ed|es|ing)\b(?!\s+(?:the\s+|all\s+)?(?:progress|work|efforts?|session|participation|"
                             r"delegations?|chair|outcome|adoption|consensus|opportunity|participants|everyone|guests))"),
    _p("supports", "active", r"\bagreed\s+with\b"),
    _p("supports", "active", r"\b(?:favou?r(?:ed|s|ing)?|(?:were|was|are|is)\s+in\s+favou?r\s+of)\b"),
    _p("supports", "active", rf"\b(?:advocat(?:ed|es|ing)|call(?:ed|s|ing)?|argu(?:ed|es|ing)|push(?:ed|es|ing)?|press(?:ed|es|ing)?|insist(?:ed|s|ing)?)\s+(?:for|to|on)\s+{_KEEP}\b"),
    _p("supports", "active", r"\badvocat(?:ed|es|ing)\s+for\b", weak=True),
    _p("supports", "active", rf"\b{_REPORT}\s+(?:the\s+)?(?:need|importance)\b", weak=True),
    _p("supports", "passive", r"\b(?:with|received|receiving|had|has|gained|won|drew|found)\s+(?:the\s+)?(?:strong\s+|broad\s+|full\s+)?(?:support|backing)\s+(?:from|of)\b"),
    _p("supports", "passive", r"\b(?:supported|backed|endorsed|seconded|joined)\s+by\b"),
    _p("supports", "passive", r"\bmet\s+with\s+(?:\w+\s+)?(?:support|approval)\s+from\b"),
    # -- expresses concern
    _p("expresses_concern", "active", r"\b(?:express(?:ed|es|ing)|rais(?:ed|es|ing)|voic(?:ed|es|ing)|shar(?:ed|es|ing)|flagg(?:ed|ing))\s+(?:\w+\s+){0,2}?(?:concerns?|reservations?|doubts?|confusion|worries|fears|misgivings|scepticism|skepticism|alarm)\b"),
    _p("expresses_concern", "active", r"\bconcerned\s+(?:about|that|by|over|with)\b"),
    _p("expresses_concern", "active", r"\bworr(?:ied|ies|y)\b"),
    _p("expresses_concern", "active", r"\bfear(?:ed|ing|s)?\b"),
    _p("expresses_concern", "active", r"\b(?:warn(?:ed|s|ing)|cautioned|criticis(?:ed|es|ing)|criticiz(?:ed|es|ing)|lamented|regretted|deplored)\b"),
    _p("expresses_concern", "active", r"\bpoint(?:ed|s|ing)?\s+out\s+(?:the\s+)?(?:strain|burden|risks?|dangers?|threats?|costs?)\b"),
    _p("expresses_concern", "active", r"\b(?:was|were|remained)\s+(?:sceptical|skeptical|wary|uneasy|hesitant)\b"),
    _p("expresses_concern", "passive", r"\b(?:pressure|criticism|concerns?|warnings?)\s+from\b", weak=True),
    # -- reason verbs: report, take no stance of their own
    _p(None, "reason", rf"\b(?:argu(?:ed|es|ing)|explain(?:ed|s|ing)|said|says|add(?:ed|s)|maintain(?:ed|s)|insist(?:ed|s)|clarifi(?:ed|es)|observ(?:ed|es)|contend(?:ed|s)|{_REPORT})\b"),
    _p(None, "reason", r"\bexpress(?:ed|es|ing)\s+(?:the\s+)?views?\b"),
    _p(None, "reason", r"\bshared\s+(?:feedback|views|their\s+views)\b"),
]

NEGATE = {"supports": "opposes", "proposes": "opposes", "offers": "opposes"}

# A clause whose subject is "They", "These states": the actors of the previous record.
ANAPHORIC_SUBJECT = re.compile(
    r"^\W*(?:(?:however|additionally|moreover|also|further(?:more)?|in\s+addition|similarly|likewise|instead|"
    r"in\s+turn|for\s+their\s+part|meanwhile),?\s+)*"
    r"(?P<word>they|these\s+(?:states|delegations|countries|members|groups|parties)|those\s+(?:states|delegations|countries)|"
    r"the\s+same\s+(?:states|delegations|countries|groups?)|this\s+(?:group|delegation|state|country)|"
    r"(?:both|all)\s+(?:of\s+them|delegations|states|countries)|it|he|she)\b",
    re.IGNORECASE,
)
# Words that carry the focus of an earlier sentence or paragraph.
SAME_VEIN = re.compile(r"\b(?:in\s+the\s+same\s+vein|similarly|likewise|along\s+the\s+same\s+lines|in\s+the\s+same\s+spirit)\b", re.I)
IN_PARTICULAR = re.compile(r"\b(?:in\s+particular|particularly|notably|especially|for\s+(?:its|their)\s+part)\b", re.I)
# "this article", "those articles", "both articles", "the same article", "the provision", "this paragraph"
ARTICLE_ANAPHOR = re.compile(
    r"\b(?:this|that|these|those|both|the\s+same|the\s+said|the\s+two|said)\s+"
    r"(?:articles?|provisions?|paragraphs?|clauses?|parts?|subparagraphs?)\b|\bthe\s+(?:provision|paragraph|clause|subparagraph)\b",
    re.IGNORECASE,
)
SAME_ARTICLE = re.compile(r"\b(?:the\s+same|this|that|said)\s+article\b", re.I)
# An object that points at an earlier proposal: "supported this", "opposed this change", "such a proposal".
REFERENT_NOUN = r"(?:proposals?|suggestions?|changes?|amendments?|ideas?|initiatives?|requests?|positions?|views?|approach|" \
                r"approaches|move|language|wording|text|calls?|demands?|push|stance|plan)"
REFERENT = re.compile(
    rf"\b(?:this|that|these|those|such\s+an?)\s+(?:\w+\s+)?{REFERENT_NOUN}\b"
    r"|\bthe\s+(?:\w+\s+)?(?:proposal|suggestion|amendment|idea|initiative|change|request)s?\b",
    re.IGNORECASE,
)
BARE_REFERENT = re.compile(r"^\s*(?:this|that|it|them|these|those)\b(?=\s*(?:[.,;:)]|$)|\s+(?:and|but|while|whereas|because|as|since|"
                           r"in|at|on|for|with|too|either|altogether|outright|entirely|strongly|firmly)\b)", re.IGNORECASE)
# "Canada's proposal": the actor is the author of the thing, not the subject.
POSSESSIVE_REF = re.compile(rf"^[’']s?\s+(?:\w+\s+)?{REFERENT_NOUN}\b", re.IGNORECASE)
POSSESSIVE_SPEAKER = re.compile(r"^[’']s?\s+(?:\w+\s+)?(?:representatives?|delegations?|delegates?|ambassadors?|ministers?|envoys?|"
                                r"experts?|spokesperson|statement|negotiators?)\b", re.IGNORECASE)
POSSESSIVE_OTHER = re.compile(r"^[’']s?\b", re.IGNORECASE)
# Mentions after these words are objects of a preposition, not the subject.
PREPOSITION_BEFORE = re.compile(r"\b(?:of|to|for|in|on|at|with|against|than|about|over|under|into|towards?|from|by|between|among|"
                                r"amongst|behind|within|without|upon|via|per)\s+(?:the\s+)?$", re.IGNORECASE)
SPEAKER_BEFORE = re.compile(r"\b(?:delegations?|representatives?|delegates?|ambassadors?|members?|groups?|ministers?|envoys?|"
                            r"experts?|spokespersons?|governments?|states?|countries)\s+(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)
# Between actors of one list: ", ", " and ", ", and the ", " as well as ", ", among others,".
LIST_GLUE = re.compile(r"^\s*(?:,\s*)?(?:(?:and|or|&|as\s+well\s+as|plus|together\s+with|along\s+with)\s+)?(?:the\s+)?$", re.IGNORECASE)
# What may stand between a subject and its verb: ", in particular,", ", and others", " also", ", with support from several delegations,"
SUBJECT_FILLER_MAX = 90
CLAUSE_BOUNDARY = re.compile(r";\s+|,\s+(?:while|whereas|but|though|although|yet)\s+(?!not\b)|\s+(?:while|whereas)\s+|\s+but\s+(?!not\b)(?=\w)",
                             re.IGNORECASE)
# Reason within the clause.
REASON_IN_CLAUSE = re.compile(r"\b(?:because|since|as\s+it\s+would|arguing\s+that|explaining\s+that|noting\s+that|stressing\s+that|"
                              r"fearing\s+that|on\s+the\s+grounds\s+that|given\s+that)\b", re.IGNORECASE)

# An article name used as a modifier ("human rights treaty") does not refer to the article.
MODIFIER_HEADS = {
    "treaty", "treaties", "regulation", "regulations", "obligation", "obligations", "reference", "references", "protection",
    "protections", "agreement", "agreements", "instrument", "instruments", "law", "laws", "standard", "standards", "chapter",
    "chapters", "framework", "frameworks", "body", "bodies", "mechanism", "mechanisms", "organisation", "organisations",
    "organization", "organizations", "defender", "defenders", "violation", "violations", "abuse", "abuses", "council",
    "community", "communities", "concerns", "perspective", "approach", "issues", "aspects", "norms", "principles", "record",
    "experts", "groups", "lens", "language", "implications", "considerations", "situation", "context", "advocates", "activists",
    "system", "systems", "efforts", "policy", "policies", "programme", "programmes", "program", "programs", "training",
    "needs", "projects", "project", "activities", "work", "bodies", "due", "grounds",
}

# Capitalised names that look like a delegation but are not in the gazetteer.
_NAME = r"(?:[A-Z][\w’'.-]*(?:\s+(?:of|and|the|de|del|da|du|la|le)\s+|\s+))*?[A-Z][\w’'.-]*"
CANDIDATE_PATTERNS = [
    re.compile(rf"\b(?:[Tt]he\s+)?(?P<name>{_NAME})\s+(?:delegation|delegates?|representatives?|ambassador|mission|government)\b"),
    re.compile(rf"\b(?:[Dd]elegations?|[Rr]epresentatives?|[Dd]elegates?|[Aa]mbassador|[Gg]overnment|[Mm]ission)\s+(?:of|from)\s+(?:the\s+)?(?P<name>{_NAME})"),
]
NOT_A_NAME = {
    "The", "This", "These", "Those", "That", "However", "Additionally", "Moreover", "Also", "Further", "Furthermore", "In",
    "On", "For", "With", "As", "At", "By", "Some", "Several", "Many", "Most", "Other", "Others", "Another", "All", "Both",
    "Each", "Every", "Article", "Articles", "Paragraph", "Chapter", "Chair", "Committee", "Convention", "Member", "Members",
    "States", "State", "Delegations", "Delegation", "It", "They", "He", "She", "We", "Our", "Their", "Its", "UN", "United",
    "Nations", "Secretariat", "First", "Second", "Third", "Group", "Such", "Like", "Including", "And", "Or", "But", "While",
    "Whereas", "Though", "Although", "Yet", "Then", "There", "Here", "When", "If", "After", "Before", "During", "Following",
    "Among", "Meanwhile", "Instead", "Similarly", "Likewise", "Overall", "Finally", "Notably", "Particularly", "Mr", "Ms",
    "Dr", "Mrs", "Ambassador", "Representative", "Representatives", "Government", "Mission", "Draft", "Revised",
    "Session", "Ad", "Hoc", "AHC", "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "One", "Two", "Three", "Many", "Few", "Most", "Here", "What", "Why", "How",
    "Later", "Earlier", "Subsequently", "Lastly", "Overall", "Nevertheless", "Nonetheless", "Still", "Again", "Today",
    "Delegates", "Delegate", "Participants", "Speakers", "Countries", "Parties", "Observers", "Experts", "Governments",
    "Yesterday", "Eventually", "Ultimately", "Initially", "Next", "Regarding", "Concerning", "Turning", "Discussing", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}
