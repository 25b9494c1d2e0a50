"""The triage engine: the akutt card first, then every care card, most urgent level wins.

Explainable by construction: an assessment lists each criterion that matched (article,
criterion id, level, the reader's text and the phrase that matched), and each follow-up
question that could raise the level if answered yes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from assistant.triage.facts import Facts, duration_in, extract, is_mixed, measured_signs
from assistant.triage.signs import SignMatcher
from assistant.triage.text import FUNCTION_WORDS, Tokens, find, match_any, tokenize
from content_model.contacts import LEVEL_TEL, MAX_MESSAGE_CHARS, with_numbers
from content_model.destinations import DESTINATIONS, Destination
from content_model.levels import LEVEL_ACTION
from content_model.loader import Article, Library
from content_model.schema import LEVELS, CareCard, Criterion
from content_model.signs import ConceptWords, SignDefinition, Vocabulary

RANK = {level: index for index, level in enumerate(LEVELS)}  # 0 = most urgent

#: What each level means for the person, by language.
_ADVICE = {
    "nb": {
        "emergency": LEVEL_ACTION["nb"]["emergency"] + " nå.",
        "urgent": LEVEL_ACTION["nb"]["urgent"] + ".",
        "gp": LEVEL_ACTION["nb"]["gp"] + " i løpet av noen dager.",
        "self_care": LEVEL_ACTION["nb"]["self_care"] + ". Kontakt fastlegen eller legevakten ({legevakt}) hvis det blir verre.",
        "because": "Det du skrev passer med",
        "none": "Jeg kjente ikke igjen nok av det du skrev til å vurdere hvor mye det haster. Ring legevakten på {legevakt}, så vurderer de det sammen med deg. Ring {emergency} hvis det kan stå om livet.",
        "unchecked": "Jeg har ikke fått sjekket disse faretegnene: {{signs}}. Ring {emergency} hvis det kan stå om livet, og legevakten på {legevakt} hvis du er usikker.",
        "assumed": "Jeg vet ikke alt som avgjør dette, så jeg har valgt den tryggeste vurderingen. Ring {emergency} hvis det kan stå om livet.",
        "main_complaint": "Hva plager deg mest, og hvor lenge har det vart?",
        "topic_only": "Jeg kjenner igjen hva det gjelder, men ikke nok til å si hvor mye det haster. Ring legevakten på {legevakt}, så vurderer de det sammen med deg.",
        "long_standing": "Dette har vart i flere uker, og du nevner ingen faretegn. Bestill time hos fastlegen. Blir det plutselig verre, ring legevakten på {legevakt}, og {emergency} hvis det kan stå om livet.",
        "crisis": "Trenger du noen å snakke med nå? Ring {emergency} hvis livet er i fare. Mental Helses hjelpetelefon {mental_helse} og Kirkens SOS {kirkens_sos} svarer hele døgnet. Legevakten har {legevakt}.",
    },
    "nn": {
        "emergency": LEVEL_ACTION["nn"]["emergency"] + " no.",
        "urgent": LEVEL_ACTION["nn"]["urgent"] + ".",
        "gp": LEVEL_ACTION["nn"]["gp"] + " i løpet av nokre dagar.",
        "self_care": LEVEL_ACTION["nn"]["self_care"] + ". Kontakt fastlegen eller legevakta ({legevakt}) om det blir verre.",
        "because": "Det du skreiv passar med",
        "none": "Eg kjende ikkje att nok av det du skreiv til å vurdere kor mykje det hastar. Ring legevakta på {legevakt}, så vurderer dei det saman med deg. Ring {emergency} om det kan stå om livet.",
        "unchecked": "Eg har ikkje fått sjekka desse faresignala: {{signs}}. Ring {emergency} om det kan stå om livet, og legevakta på {legevakt} om du er usikker.",
        "assumed": "Eg veit ikkje alt som avgjer dette, så eg har valt den tryggaste vurderinga. Ring {emergency} om det kan stå om livet.",
        "main_complaint": "Kva plagar deg mest, og kor lenge har det vart?",
        "topic_only": "Eg kjenner att kva det gjeld, men ikkje nok til å seie kor mykje det hastar. Ring legevakta på {legevakt}, så vurderer dei det saman med deg.",
        "long_standing": "Dette har vart i fleire veker, og du nemner ingen faresignal. Bestill time hos fastlegen. Blir det brått verre, ring legevakta på {legevakt}, og {emergency} om det kan stå om livet.",
        "crisis": "Treng du nokon å snakke med no? Ring {emergency} om livet er i fare. Mental Helse sin hjelpetelefon {mental_helse} og Kirkens SOS {kirkens_sos} svarar heile døgnet. Legevakta har {legevakt}.",
    },
    "en": {
        "emergency": LEVEL_ACTION["en"]["emergency"] + " now.",
        "urgent": LEVEL_ACTION["en"]["urgent"] + ".",
        "gp": LEVEL_ACTION["en"]["gp"] + " within a few days.",
        "self_care": LEVEL_ACTION["en"]["self_care"] + ". Contact your GP or the out-of-hours service ({legevakt}) if it gets worse.",
        "because": "What you wrote matches",
        "none": "I did not recognise enough of what you wrote to assess how urgent it is. Call the out-of-hours service on {legevakt} and they will assess it with you. Call {emergency} if life may be in danger.",
        "unchecked": "I could not check these danger signs: {{signs}}. Call {emergency} if life may be in danger, and {legevakt} if you are unsure.",
        "assumed": "I do not know everything that decides this, so I chose the safest assessment. Call {emergency} if life may be in danger.",
        "main_complaint": "What troubles you most, and how long has it lasted?",
        "topic_only": "I recognise what this is about, but not enough to tell how urgent it is. Call the out-of-hours service on {legevakt} and they will assess it with you.",
        "long_standing": "This has lasted for weeks and you mention no danger signs. Book an appointment with your GP. If it suddenly gets worse, call the out-of-hours service on {legevakt}, and {emergency} if life may be in danger.",
        "crisis": "Do you need someone to talk to now? Call {emergency} if life is in danger. Mental Helse's helpline {mental_helse} and Kirkens SOS {kirkens_sos} answer day and night (in Norwegian). The out-of-hours service is {legevakt}.",
    },
}
#: The numbers come from content_model/contacts.py, the one place they are written.
ADVICE = with_numbers(_ADVICE)


@dataclass
class Match:
    article: str  # src_path of the article whose card matched
    title: str
    url: str
    criterion: str
    level: str
    text: str  # the reader's text of the criterion
    phrase: str  # what in the person's text matched ("svarte ja" for an answer)
    crisis: bool = False
    akutt: bool = False
    destination: str | None = None
    specific: bool = False  # shows the card's topic on its own (see TriageEngine._signs_fit)

    def __post_init__(self) -> None:
        if self.phrase.startswith("="):
            self.phrase, self.specific = self.phrase[1:], True

    def to_json(self) -> dict:
        data = {k: getattr(self, k) for k in ("article", "criterion", "level", "text", "phrase", "crisis")}
        if self.destination:
            data["destination"] = self.destination
        return data


@dataclass
class Question:
    article: str
    criterion: str
    level: str
    question: str
    text: str = ""  # the criterion's reader text: the danger sign itself
    #: "condition": the words fit, but age, pregnancy or duration could not be told;
    #: "sign": the card's danger sign was not mentioned, so it was not checked.
    kind: str = "sign"

    def to_json(self) -> dict:
        return {"article": self.article, "criterion": self.criterion, "level": self.level, "question": self.question}


@dataclass
class Assessment:
    level: str
    matches: list[Match]
    questions: list[Question]
    facts: Facts
    articles: list[Article] = field(default_factory=list)  # the topics, most relevant first
    uncertain: bool = False
    #: Danger signs of a higher level that were not asked about (no follow-up possible).
    unchecked: list[Question] = field(default_factory=list)
    #: Criteria counted as met because what decides them could not be told (the safe side).
    assumed: list[str] = field(default_factory=list)
    #: Nothing of a card matched, but a named complaint has lasted for weeks: the fastlege.
    long_standing: bool = False

    @property
    def crisis(self) -> bool:
        return any(m.crisis for m in self.matches)

    @property
    def language(self) -> str:
        return self.facts.language

    @property
    def tel(self) -> str | None:
        return LEVEL_TEL[self.level]

    def reasons(self) -> list[Match]:
        """The matches at the assessed level: why this level."""
        return [m for m in self.matches if m.level == self.level]

    @property
    def recognised(self) -> bool:
        """A criterion matched (or was counted as met)."""
        return bool(self.matches)

    @property
    def understood(self) -> bool:
        """A criterion matched or a topic of the library was named."""
        return bool(self.matches) or any(a.meta.kind != "akutt" for a in self.articles)

    @property
    def destination(self) -> Destination | None:
        """Where the most urgent reason sends the person, when not the level's default."""
        for match in self.reasons():
            if match.destination:
                return DESTINATIONS[match.destination]
        return None

    def advice(self) -> str:
        words = ADVICE[self.language if self.language in ADVICE else "nb"]
        if not self.recognised and self.long_standing:
            text = words["long_standing"]
            if self.unchecked:
                signs = "; ".join(f"«{q.text or q.question}»" for q in self.unchecked[:4])
                text += " " + words["unchecked"].format(signs=signs)
        elif not self.recognised and self.unchecked:
            text = words["topic_only"]
            if self.unchecked:
                signs = "; ".join(f"«{q.text or q.question}»" for q in self.unchecked[:4])
                text += " " + words["unchecked"].format(signs=signs)
        elif not self.recognised:
            text = words["none"] + " " + words["main_complaint"]
        else:
            why = "; ".join(f"«{m.text}»" for m in self.reasons()[:3])
            destination = self.destination
            if destination is not None and destination.id != "apotek":
                text = f"{destination.text(self.language)} {words['because']}: {why}"
            else:
                text = f"{words[self.level]} {words['because']}: {why}"
                if destination is not None:
                    text += " " + destination.text(self.language)
            if self.assumed:
                text += " " + words["assumed"]
            if self.unchecked:
                signs = "; ".join(f"«{q.text or q.question}»" for q in self.unchecked[:4])
                text += " " + words["unchecked"].format(signs=signs)
        if self.crisis:
            text += " " + words["crisis"]
        return text

    def to_json(self) -> dict:
        data: dict = {
            "level": self.level,
            "tel": self.tel,
            "crisis": self.crisis,
            "uncertain": self.uncertain,
            "language": self.language,
            "advice": self.advice(),
            "matched": [m.to_json() for m in self.reasons()],
            "also_matched": [m.to_json() for m in self.matches if m.level != self.level],
            "questions": [q.to_json() for q in self.questions],
            "unchecked": [
                {"article": q.article, "criterion": q.criterion, "level": q.level, "text": q.text or q.question} for q in self.unchecked
            ],
            "facts": self.facts.to_json(),
        }
        if self.destination is not None:
            data["destination"] = self.destination.to_json(self.language)
        if self.long_standing:
            data["long_standing"] = True
        if not self.recognised:
            data["follow_up"] = ADVICE[self.language if self.language in ADVICE else "nb"]["main_complaint"]
        if self.articles:
            top = self.articles[0]
            data["article"] = {"id": top.id, "title": top.meta.title, "url": top.url}
        return data


class TriageEngine:
    """Applies the care cards of a loaded library to free text."""

    def __init__(self, library: Library, tokenizer: Callable[..., Tokens] = tokenize, guard: bool = False):
        self.library = library
        #: The red-flag guard (akutt card only): it looks for 113 signs and lowers nothing.
        self.guard = guard
        self.tokenize = tokenizer  # benchmark: the spaCy pipelines' lemmas instead of stems
        self.matcher = SignMatcher(library.signs)
        self._akutt: TriageEngine | None = None
        self.cards = [a for a in library.articles.values() if a.meta.care_card is not None]
        self.topics = SignMatcher(_topic_vocabulary(self.cards))
        # The signs each card's criteria start from; None when a criterion still uses phrases.
        self.card_signs: dict[str, frozenset[str] | None] = {}
        #: Each card's criteria with their levels, in order (read for every message).
        self.criteria = {card.src_path: list(_card(card).criteria()) for card in self.cards}
        for card in self.cards:
            criteria = [c for _, c in self.criteria[card.src_path]]
            self.card_signs[card.src_path] = (
                None if any(c.terms for c in criteria) else frozenset(sign for c in criteria for sign in c.signs)
            )
        # The bokmål article is the group's key, so an nb/nn pair counts once.
        self.group = {
            a.src_path: (a.meta.translation if a.meta.language == "nn" and a.meta.translation else a.src_path) for a in self.cards
        }

    def assess(
        self,
        text: str,
        *,
        answers: dict[str, bool] | None = None,
        age_months: float | None = None,
        pregnant: bool | None = None,
        duration_days: float | None = None,
        language: str | None = None,
        can_ask: bool = False,
    ) -> Assessment:
        """Assess ``text``; ``answers`` maps criterion ids to the person's yes/no.

        ``can_ask``: the caller can ask the follow-up questions (the Norwegian chat). Where it
        cannot (the command line, English, a batch), a question that would decide a criterion
        counts as "not sure": as met where the criterion says so (by default every level but
        self-care), and a danger sign not mentioned is listed as ``unchecked``.
        """
        text = text[: MAX_MESSAGE_CHARS * 2]
        facts = extract(text)
        if language:
            facts.language = language
        if age_months is not None:
            facts.age = (age_months, age_months + 1)
        if pregnant is not None:
            facts.pregnant = pregnant
        if duration_days is not None:
            facts.duration_days = duration_days
        answers = answers or {}
        # Measurements given as numbers ("tempen viser 40,0") are read as the words the cards use.
        tokens = self.tokenize(". ".join([text, *measured_signs(text, facts)]), english=facts.language == "en")
        tokens.language = facts.language  # "no" is "now" in nynorsk, a negation in English
        tokens.mixed = is_mixed(text)
        tokens.possible_signs = self.matcher.possible(tokens)  # signs that can be in the text at all
        matches: dict[tuple[str, str], Match] = {}
        pending: dict[tuple[str, str], Question] = {}
        relevance: dict[str, int] = {}
        # An nb/nn pair shares one rule per criterion id: each is evaluated once per message.
        evaluated: dict[tuple[str, str], tuple[str, str]] = {}
        for article in self.cards:
            key = self.group[article.src_path]
            topic_hit = self._topic_hit(article, tokens)
            signs = self.card_signs[article.src_path]
            if not topic_hit and not answers and signs is not None and signs.isdisjoint(tokens.possible_signs):
                continue  # nothing of this card is in the text
            if not _audience_fits(article, facts, topic_hit):
                continue
            hits: list[Match] = []
            asks: list[Question] = []
            for level, criterion in self.criteria[article.src_path]:
                if (key, criterion.id) not in evaluated:
                    evaluated[key, criterion.id] = self._evaluate(
                        criterion, tokens, facts, answers.get(criterion.id), feared_counts=level == "emergency"
                    )
                outcome, phrase = evaluated[key, criterion.id]
                asked = criterion.id not in answers and (
                    outcome == "unknown" or (outcome == "no" and topic_hit and _asks_about_the_sign(criterion))
                )
                if criterion.question and asked:
                    # Ask when the words fit but age/pregnancy/duration is not known, or when the
                    # topic fits and the question is about the sign itself.
                    kind = "condition" if outcome == "unknown" else "sign"
                    asks.append(Question(article.src_path, criterion.id, level, criterion.question, criterion.text, kind))
                if outcome == "match":
                    hits.append(_match(article, level, criterion, phrase))
                elif (
                    outcome == "unknown"
                    and criterion.id not in answers
                    and (not criterion.question or not can_ask)
                    and _assumable(criterion, facts, level)
                ):
                    # What cannot be told, and cannot be asked here, counts by the criterion's rule
                    # for "not sure" (a card without a question: in the chat too).
                    hits.append(_match(article, level, criterion, phrase + " (ikke avklart)"))
            if topic_hit and not any(RANK[h.level] < RANK["self_care"] for h in hits):
                reassured = self._reassured_by_denial(article, tokens, answers)
                if reassured is not None and not any(h.level == "self_care" for h in hits):
                    hits.append(reassured)
            # A topic's card applies when the topic is named (title, synonyms), when a sign or a
            # phrase of two or more words of its card fits, or when the person answered its
            # question. A lone everyday word ("forvirret", "falt") only counts within its topic, or
            # in a pregnancy article when she says she is pregnant; the akutt card applies always.
            relevant = (
                article.meta.kind == "akutt"
                or topic_hit
                or (article.meta.area == "graviditet" and _written_for(article, facts))
                or any(h.criterion in answers or h.specific for h in hits)
            )
            if not relevant:
                continue
            if hits or topic_hit:
                relevance[key] = len(hits)
            for hit in hits:
                self._keep(matches, (key, hit.criterion), hit, facts.language, article)
            for ask in asks:
                pending.setdefault((key, ask.criterion), ask)
        found = sorted(matches.values(), key=lambda m: (RANK[m.level], not m.akutt))
        # Nothing recognised, or a topic named without any of its criteria: the legevakt can tell
        # what we cannot. Never a silent GP or self-care: uncertain, the topic's danger signs listed
        # as unchecked, and 113 and 116 117 in the text.
        level = found[0].level if found else "urgent"
        long_standing = not found and not self.guard and self._long_standing(facts, tokens, relevance)
        if long_standing:
            level = "gp"
        assumed = [m.criterion for m in found if m.phrase.endswith("(ikke avklart)") and m.level == level]
        questions: list[Question] = []
        unchecked: list[Question] = []
        # Questions that could raise the level; when nothing was recognised (the level is only
        # the fallback), every question of a topic that was named can help.
        ceiling = RANK[level] if found else len(LEVELS)
        for pending_key, question in sorted(pending.items(), key=lambda item: RANK[item[1].level]):
            if RANK[question.level] >= ceiling or pending_key in matches or any(q.question == question.question for q in questions):
                continue
            questions.append(question)
            if not can_ask and question.kind == "sign":
                unchecked.append(question)
        found_articles = [a for a in (self.library.get(k) for k in relevance) if a is not None]
        found_articles.sort(key=lambda a: (not _written_for(a, facts), -relevance[a.src_path]))
        articles = [self._in_language(a, facts.language) for a in found_articles]
        articles = [a for a in articles if a.meta.kind != "akutt"] + [a for a in articles if a.meta.kind == "akutt"]
        if not found and relevance and not can_ask:
            unchecked = [q for q in pending.values() if RANK[q.level] < RANK[level]][:6]
        # Self-care because danger signs were denied, not because its evidence was named: say so.
        by_denial = any(" + avkreftet: " in m.phrase for m in found if m.level == level)
        uncertain = not found or bool(assumed) or bool(unchecked) or by_denial
        return Assessment(level, found, questions, facts, articles, uncertain, unchecked, assumed, long_standing)

    def red_flags(self, text: str) -> Assessment:
        """Only the akutt card: the guard that runs on every message, whatever the dialogue."""
        if self._akutt is None:
            self._akutt = TriageEngine(_AkuttOnly(self.library), guard=True)  # type: ignore[arg-type]
        return self._akutt.assess(text)

    # -- helpers -----------------------------------------------------------------------------

    def _in_language(self, article: Article, language: str) -> Article:
        other = self.library.translation_of(article)
        return other if other is not None and other.meta.language == language else article

    def _keep(self, matches: dict[tuple[str, str], Match], key: tuple[str, str], match: Match, language: str, article: Article) -> None:
        """One match per criterion of an nb/nn pair, in the person's language where we have it."""
        if key not in matches or article.meta.language == language:
            matches[key] = match

    def _long_standing(self, facts: Facts, tokens: Tokens, relevance: dict[str, int]) -> bool:
        """No criterion matched, but the person names a complaint (a topic, or a sign of two
        concepts such as "verk i ryggen") and says it has lasted for two weeks or more. With no
        danger sign said, a complaint of weeks is the fastlege's (as NHS 111 and helsenorge
        route it); the answer stays uncertain and names 116 117 and 113."""
        if facts.duration_days is None or facts.duration_days < LONG_STANDING_DAYS:
            return False
        if relevance:
            return True
        for sign in tokens.possible_signs:
            hit = self.matcher.find(sign, tokens)
            if hit is not None and not hit.negated and hit.concepts > 1:
                return True
        return False

    def _topic_hit(self, article: Article, tokens: Tokens) -> bool:
        """The article's topic (its title or a synonym) is named, not denied."""
        if article.src_path not in self.topics.possible(tokens):
            return False  # none of its words can start in the text (cached per message)
        hit = self.topics.find(article.src_path, tokens)
        return hit is not None and not hit.negated

    def _reassured_by_denial(self, article: Article, tokens: Tokens, answers: dict[str, bool]) -> Match | None:
        """Self-care for a named topic when the person has ruled out its danger signs instead of
        naming the reassuring evidence: answered "no" to a higher-level question, or denied a
        higher-level sign in so many words ("ingen feber, ikke tungpust"), for two or more of
        the card's danger criteria, with no other danger sign of the card said. The card's first
        self-care criterion whose own sign is there then applies, marked as such."""
        card = _card(article)
        higher = [c for level, c in card.criteria() if level in ("emergency", "urgent")]
        denied = {c.question or c.id for c in higher if answers.get(c.id) is False}
        for criterion in higher:
            for sign in [*criterion.signs, *(sign for group in criterion.with_signs for sign in group)]:
                hit = self.matcher.find(sign, tokens)
                if hit is not None and hit.negated:
                    denied.add(hit.phrase)  # by the person's words: one denial can fit two signs
        if len(denied) < 2:
            return None  # one sign denied is not enough to rule out the rest
        for criterion in card.self_care:
            own = [self.matcher.find(sign, tokens) for sign in criterion.signs]
            # Any other danger sign of the card said and not denied (only its criterion did not
            # match in full): no reassurance.
            danger = {sign for c in higher for sign in [*c.signs, *(s for g in c.with_signs for s in g)]} - set(criterion.signs)
            if any((h := self.matcher.find(sign, tokens)) is not None and not h.negated for sign in danger):
                continue
            if any(h is not None and not h.negated for h in own):
                phrase = next(h.phrase for h in own if h is not None and not h.negated)
                return _match(article, "self_care", criterion, f"{phrase} + avkreftet: {', '.join(sorted(denied))}")
        return None

    def _signs_fit(self, criterion: Criterion, tokens: Tokens) -> tuple[str, bool]:
        """The person's words for the criterion's signs ("lam i høyre arm + feber"), and whether
        one sign of the criterion and one of each ``with_signs`` group is there, un-negated.

        The words are prefixed with "=" when the match shows the card's topic on its own: a sign
        that combines two concepts, or a criterion with a "together with" group. A lone word
        ("endret", "sår") only counts within its topic."""
        phrases: list[str] = []
        specific = bool(criterion.with_signs)
        possible = tokens.possible_signs
        for number, group in enumerate([criterion.signs, *criterion.with_signs]):
            hit = None
            for sign in group:
                if sign not in possible:
                    continue
                found = self.matcher.find(sign, tokens)
                # A criterion that is not negatable (a crisis, "ikke vaksinert") counts its own sign
                # even when negated, except a crisis sign denied outright ("har ikke selvmordstanker").
                # What must come with it is read as said: "kuttet meg, blør ikke mye" is no heavy
                # bleeding.
                if found is not None and (
                    not found.negated or (number == 0 and not criterion.negatable and not (criterion.crisis and found.denied_outright))
                ):
                    hit = found
                    break
            if hit is None:
                return "", False
            specific = specific or hit.concepts > 1 or _content_words(hit.phrase) > 1
            phrases.append(hit.phrase)
        return ("=" if specific else "") + " + ".join(phrases), True

    def _evaluate(
        self, criterion: Criterion, tokens: Tokens, facts: Facts, answer: bool | None, feared_counts: bool = True
    ) -> tuple[str, str]:
        """``match``, ``no``, or ``unknown`` (the words fit but a condition cannot be told yet).

        A sign that is only feared or prevented ("redd han skulle bli dehydrert") does not count,
        except for a 113 criterion (``feared_counts``): there the safe side wins.
        """
        if answer is False:
            return "no", ""
        if criterion.signs:
            phrase, words_fit = self._signs_fit(criterion, tokens)
        else:
            first, negated = match_any(criterion.terms, tokens, negatable=criterion.negatable, hypothetical=feared_counts)
            phrase = first or ""  # read only when the words fit
            words_fit = bool(first) and not negated
            for group in criterion.with_terms:
                hit, hit_negated = match_any(group, tokens, negatable=criterion.negatable, hypothetical=feared_counts)
                words_fit = words_fit and bool(hit) and not hit_negated
                if words_fit and hit:
                    phrase += " + " + hit  # every phrase that fitted: "feber + puster fortere"
            if words_fit and any(len(p.split()) > 1 for p in phrase.split(" + ")):
                phrase = "=" + phrase  # a phrase of two or more words shows the topic on its own
        if answer is True:
            return "match", phrase if words_fit else "svarte ja"
        if not words_fit:
            return "no", ""
        if criterion.duration and criterion.terms:
            facts = _with_duration_of_the_sign(facts, tokens, [phrase.lstrip("=").split(" + ")[0]])
        condition = _conditions(criterion, facts)
        if condition is None:
            return "unknown", phrase
        return ("match", phrase) if condition else ("no", "")


#: A complaint that has lasted this long, with nothing of a card matched, goes to the fastlege.
LONG_STANDING_DAYS = 14

#: Areas written for one group of people, and who they are (months of age, pregnancy).
CHILDREN_UNDER_MONTHS = 18 * 12
ELDERLY_FROM_MONTHS = 60 * 12


def _content_words(phrase: str) -> int:
    """How many words of a phrase carry meaning ("sover dårlig": two; "vondt": one)."""
    return sum(1 for token in tokenize(phrase) if token.text not in FUNCTION_WORDS)


def _match(article: Article, level: str, criterion: Criterion, phrase: str) -> Match:
    return Match(
        article.src_path,
        article.meta.title,
        article.url,
        criterion.id,
        level,
        criterion.text,
        phrase,
        criterion.crisis,
        article.meta.kind == "akutt",
        criterion.destination,
    )


def _assumable(criterion: Criterion, facts: Facts, level: str) -> bool:
    """Whether a criterion whose condition cannot be told counts as met (the safe side).

    Only where its rule says "not sure" is "yes", and only when something points that way: an
    age range that overlaps (a child, a baby), never an age or pregnancy nobody mentioned."""
    if not criterion.unsure_counts_as_yes(level):
        return False
    if criterion.pregnant and facts.pregnant is None:
        return False
    return not (criterion.age and facts.age is None)


def _topic_vocabulary(cards: list[Article]) -> Vocabulary:
    """Each card's title and synonyms as one concept and one sign, so topics are found with the
    same matcher (and the same index) as the signs."""
    topics = Vocabulary()
    for article in cards:
        words = sorted({w.casefold() for w in [article.meta.title, *article.meta.synonyms]})
        topics.concepts[article.src_path] = ConceptWords.construct(nb=words, nn=[], en=[])
        topics.signs[article.src_path] = SignDefinition.construct(id=article.src_path, label=None, expressions=[[article.src_path]])
    return topics


def _audience_fits(article: Article, facts: Facts, topic_hit: bool) -> bool:
    """Whether the person can be who an article's area is written for.

    Children's articles do not apply to a stated adult, articles for the elderly not to a
    stated younger person, and pregnancy articles only in a stated pregnancy or when the
    topic itself is named. Unknown age or pregnancy never excludes anyone.
    """
    area = article.meta.area
    if area == "barn" and facts.age is not None and facts.age[0] >= CHILDREN_UNDER_MONTHS:
        return False
    if area == "eldre" and facts.age is not None and facts.age[1] <= ELDERLY_FROM_MONTHS:
        return False
    if area == "graviditet":
        return facts.pregnant is True or (topic_hit and facts.pregnant is not False)
    return True


def _card(article: Article) -> CareCard:
    """The care card of one of the engine's cards (``TriageEngine.cards`` holds only articles with one)."""
    assert article.meta.care_card is not None, "only articles with a care card are the engine's cards"
    return article.meta.care_card


def _written_for(article: Article, facts: Facts) -> bool:
    """An article written for who the person says they are: a pregnancy article for a pregnant
    woman, a children's article for a stated child, an article for the elderly for someone over
    60. It comes before general articles."""
    area = article.meta.area
    if area == "graviditet":
        return facts.pregnant is True
    if area == "barn":
        return facts.age is not None and facts.age[1] <= CHILDREN_UNDER_MONTHS
    if area == "eldre":
        return facts.age is not None and facts.age[0] >= ELDERLY_FROM_MONTHS
    return False


def _with_duration_of_the_sign(facts: Facts, tokens: Tokens, phrases: list[str]) -> Facts:
    """Facts with the duration said in the same clause as the sign, when that clause says one.

    "Hoste i fire dager, og de første to dagene hadde jeg feber" is four days of cough but two
    days of fever; the whole text's first duration is only the fallback.
    """
    source = getattr(tokens, "source", None)
    if not source:
        return facts
    for phrase in phrases:
        for occurrence in find(phrase, tokens):
            if occurrence.negated:
                continue
            clause = tokens[occurrence.start].clause
            words = [t for t in tokens if t.clause == clause]
            days = duration_in(source[words[0].start : words[-1].start + len(words[-1].text)])
            if days is not None and days != facts.duration_days:
                return replace(facts, duration_days=days)
            return facts
    return facts


def _asks_about_the_sign(criterion: Criterion) -> bool:
    """A question with no age, pregnancy or duration condition asks whether the sign is there."""
    return criterion.age is None and criterion.pregnant is None and criterion.duration is None and criterion.pregnancy_weeks is None


def _conditions(criterion: Criterion, facts: Facts) -> bool | None:
    """Whether age, pregnancy and duration conditions hold: True, False, or None (unknown)."""
    results: list[bool | None] = []
    if criterion.age:
        low, high = criterion.age.range_months()
        if facts.age is None:
            results.append(None)
        else:
            a_low, a_high = facts.age
            if a_low >= low and a_high <= high:
                results.append(True)
            elif a_high <= low or a_low >= high:
                results.append(False)
            else:
                results.append(None)
    if criterion.pregnant is not None:
        results.append(None if facts.pregnant is None else facts.pregnant == criterion.pregnant)
    if criterion.pregnancy_weeks:
        week, weeks = facts.pregnancy_week, criterion.pregnancy_weeks
        results.append(None if week is None else weeks.from_week <= week <= weeks.to_week)
    if criterion.duration:
        d = facts.duration_days
        over, under = criterion.duration.over_days, criterion.duration.under_days
        if d is None:
            results.append(None)
        else:
            results.append((over is None or d > over) and (under is None or d < under))
    if False in results:
        return False
    if None in results:
        return None
    return True


class _AkuttOnly:
    """A view of a library with only its akutt cards (for the red-flag guard)."""

    def __init__(self, library: Library):
        self.articles = {k: a for k, a in library.articles.items() if a.meta.kind == "akutt"}
        self.signs = library.signs
        self._library = library

    def get(self, src_path: str) -> Article | None:
        return self.articles.get(src_path)

    def translation_of(self, article: Article) -> Article | None:
        return self._library.translation_of(article)
