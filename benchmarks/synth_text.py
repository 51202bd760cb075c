"""Text for the synthetic programs: names in many scripts, and varied Markdown notes.

The sentences come from the demo program's text pools (:mod:`mentor_desk.services.demo_content`);
between them go "word mixtures" drawn from a Zipf-weighted vocabulary, so that full-text searches
for one to three words find anything from a handful to tens of thousands of notes, as in a real
program. Everything is drawn from the ``random.Random`` the caller passes in.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from mentor_desk.services import demo_content as demo

# First names and family names by script; a mentee's name takes both from one group.
NAME_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("Zoë", "Léa", "Jürgen", "Søren", "Åsa", "Matthias", "Chloé", "Björn", "Anaïs", "Ferdinand"),
     ("Müller", "Lefèvre", "Østergaard", "Schröder", "Dubois", "Håkansson", "Brandt", "Nowak"),
     "Europe"),
    (("José", "María", "João", "Inês", "Andrés", "Lucía", "Gonçalo", "Ximena", "Íñigo", "Rocío"),
     ("Álvarez", "Núñez", "Gonçalves", "Peña", "Ibáñez", "Araújo", "Castillo", "Rivera"),
     "Iberia and Latin America"),
    (("Дмитрий", "Анна", "Олег", "Наталья", "Игорь", "Ольга", "Сергей", "Мария"),
     ("Волков", "Смирнова", "Кузнецов", "Иванова", "Попов", "Соколова", "Лебедев", "Новикова"),
     "Cyrillic"),
    (("Γιώργος", "Ελένη", "Νίκος", "Μαρία", "Δημήτρης", "Σοφία"),
     ("Παπαδόπουλος", "Κωνσταντίνου", "Νικολάου", "Γεωργίου", "Οικονόμου"),
     "Greek"),
    (("伟", "芳", "娜", "敏", "静", "磊", "洋", "婷", "强", "军"),
     ("李", "王", "张", "刘", "陈", "杨", "黄", "赵"),
     "Chinese"),
    (("さくら", "健太", "陽菜", "翔", "美咲", "大輝"),
     ("田中", "佐藤", "鈴木", "高橋", "渡辺", "伊藤"),
     "Japanese"),
    (("ليلى", "عمر", "فاطمة", "يوسف", "مريم", "خالد", "نور", "سلمى"),
     ("حداد", "الخطيب", "منصور", "العلي", "سعيد", "ناصر"),
     "Arabic"),
    (("נועה", "אורי", "תמר", "יונתן", "מיכל", "איתי"),
     ("כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם"),
     "Hebrew"),
    (("Chiamaka", "Oluwaseun", "Kwame", "Adaeze", "Tèmítọ́pẹ́", "Kofi", "Nnamdi", "Abena"),
     ("Okonkwo", "Adébáyọ̀", "Mensah", "Nwosu", "Boateng", "Eze", "Bello", "Asante"),
     "West Africa"),
    (("Priya", "Arjun", "Ananya", "Rohan", "Lakshmi", "Vikram", "Meera", "Aditya"),
     ("Natarajan", "Raghunathan", "Iyer", "Krishnan", "Banerjee", "Chatterjee", "Rao", "Menon"),
     "South Asia"),
    (("Lan", "Minh", "Thảo", "Hùng", "Phương", "Đức"),
     ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"),
     "Vietnam"),
    (("Ingrid", "Łukasz", "Małgorzata", "Tomáš", "Zuzana", "Jiří", "Ágnes", "Dávid"),
     ("Solberg", "Wiśniewski", "Dvořák", "Novák", "Kovács", "Szabó", "Černý", "Łęcki"),
     "Central Europe"),
)  # fmt: skip
# Family name first, with no space between, as the names are written in these scripts.
_FAMILY_FIRST = {"Chinese", "Japanese"}
_FAMILY_SPACED = {"Vietnam"}

PRONOUNS = ("she/her", "he/him", "they/them", "", "she/they", "he/they")
# Job titles by level (the stored value), and how common each level is.
ROLES: dict[str, tuple[str, ...]] = {
    "junior": ("Junior Software Engineer", "Associate QA Engineer", "Graduate Engineer"),
    "mid": ("Software Engineer", "Frontend Engineer", "Mobile Engineer", "Data Engineer"),
    "senior": (
        "Senior Software Engineer",
        "Senior Site Reliability Engineer",
        "Senior iOS Engineer",
    ),
    "staff": ("Staff Engineer", "Staff Security Engineer"),
    "principal": ("Principal Engineer",),
    "team_lead": ("Team Lead", "Tech Lead Manager"),
    "engineering_manager": ("Engineering Manager",),
    "senior_leader": ("Director of Engineering", "Head of Platform"),
}
LEVEL_WEIGHTS = (12, 25, 30, 10, 4, 10, 7, 2)  # in the order of ROLES
TEAMS = (
    "Payments Platform", "Mobile", "Data Platform", "Identity & Access", "Android", "Search",
    "Checkout", "Architecture", "Growth", "Infrastructure", "Developer Experience", "Billing",
    "Risk <Ops> & Fraud", "Messaging", "Maps", "Analytics", "Core API", "Design Systems",
)  # fmt: skip
SERVICES = (
    "the payments ledger", "the iOS release pipeline", "the ingestion pipeline", "the login "
    "service", "the search indexer", "the checkout API", "the service mesh", "the billing "
    "exports", "the notification fan-out", "the feature-flag service", "the CI build farm",
    "the data warehouse loader", "the mobile gateway", "the fraud scoring model",
)  # fmt: skip
TAGS = (
    "promotion track", "new manager", "remote", "incident", "hiring", "oncall", "promo packet",
    "design", "LMP", "career", "wellbeing", "onboarding", "tech debt", "stakeholders", "testing",
    "architecture", "feedback", "delegation", "visibility", "interview prep", "cross-team",
    "planning", "burnout risk", "conference talk", "open source", "mentoring others", "quarterly",
    "déjà vu", "重要", "مهم",
)  # fmt: skip
# Technical words the demo text rarely uses, so searches for them find a realistic few.
_JARGON_TEXT = (
    "kubernetes idempotency backpressure sharding canary rollback latency throughput p99 "
    "observability tracing schema migration feature-flag retries circuit-breaker kafka postgres "
    "redis terraform graphql grpc websocket oauth saml sso rbac encryption compliance gdpr audit "
    "runbook postmortem sla slo error-budget paging dashboard alerting autoscaling cache "
    "invalidation consistency replication failover quorum deadlock profiling flamegraph "
    "refactoring monorepo bazel gradle xcode swiftui kotlin rust golang typescript react "
    "accessibility localisation i18n bidi unicode emoji café naïve résumé façade über"
)
_JARGON = tuple(_JARGON_TEXT.split())
_FUNCTION_WORDS = (
    "the", "and", "to", "of", "a", "in", "we", "for", "on", "is", "with", "that", "it", "about",
    "this", "as", "was", "but", "be", "at", "from", "next", "more", "they", "not", "so",
)  # fmt: skip
_STREAM = 1_000_000
_ENDINGS = (".", ".", ".", "?", "; worth a second look.")
_WORD = re.compile(r"[^\W\d_][\w'-]{2,}")
_PLACEHOLDER = re.compile(r"\{\w+\}")


class _Fill(dict[str, Any]):
    """Placeholder values; one the pools use but the caller did not give stays readable."""

    def __missing__(self, key: str) -> str:
        return "the plan" if key == "goal" else "soon"


@dataclass(frozen=True, slots=True)
class Person:
    """What notes say about a mentee: their call name, team and main service."""

    first: str
    team: str
    service: str


def mentee_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (full name, call name) pairs, cycling through every script group."""
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    for index in itertools.count():
        if len(names) == count:
            break
        firsts, families, group = NAME_GROUPS[index % len(NAME_GROUPS)]
        first, family = rng.choice(firsts), rng.choice(families)
        if group in _FAMILY_FIRST:
            full = family + first
        elif group in _FAMILY_SPACED:
            full = f"{family} {first}"
        else:
            full = f"{first} {family}"
        if full in seen:
            # Real programs have namesakes; tell them apart the way people do.
            full = f"{full} ({len(names) + 1})"
        seen.add(full)
        names.append((full, first))
    return names


@cache
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every word of the demo's text plus some jargon, sorted (shuffled later, by the seed)."""
    words: set[str] = set(_JARGON)
    for name in ("themes.txt", "pools.txt", "evidence.txt", "goals.txt", "feedback.txt"):
        for block in demo.blocks(name):
            for text in (block.title, *(value for _, value in block.entries)):
                words.update(w.lower() for w in _WORD.findall(_PLACEHOLDER.sub("", text)))
    peers = tuple(sorted(demo.PEERS))
    return tuple(sorted(words)), peers


class NoteWriter:
    """Composes titles, summaries and Markdown notes from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        words, self.peers = _vocabulary()
        order = [w for w in words if w not in _FUNCTION_WORDS]
        rng.shuffle(order)
        # Function words take the top ranks, as in real prose; content words follow by the seed.
        order[:0] = _FUNCTION_WORDS
        self.words = order
        # Zipf's law: the k-th most common word is about 1/k as frequent as the first.
        weights = itertools.accumulate(1.0 / (k + 1) ** 1.05 for k in range(len(order)))
        # One long Zipf-drawn stream, read at random offsets: drawing word by word costs a third
        # of the whole generation at the large size.
        self.stream = rng.choices(order, cum_weights=list(weights), k=_STREAM)
        self.themes = list(demo.themes().values())
        self.pools = demo.pools()
        self.lines = {
            key: [line for theme in self.themes for line in theme.all(key)]
            for key in ("now", "dig", "try", "next", "sum")
        }

    # --- pieces ------------------------------------------------------------------------------

    def between(self, low: int, high: int) -> int:
        """Like ``randint`` (both ends included), at a fraction of its cost."""
        return low + int(self.rng.random() * (high - low + 1))

    def fill(self, line: str, person: Person, **extra: Any) -> str:
        """``line`` with its placeholders ({first}, {peer}, {n}...) filled for ``person``."""
        if "{" not in line:
            return line
        values = _Fill(
            first=person.first,
            team=person.team,
            service=person.service,
            peer=self.rng.choice(self.peers),
            n=self.between(2, 14),
            **extra,
        )
        return line.format_map(values)

    def mixture(self, low: int = 6, high: int = 16, *, plain: bool = False) -> str:
        """A sentence of Zipf-drawn words, now and then with bold, code or a link unless
        ``plain`` (titles and one-line fields show Markdown literally)."""
        rng = self.rng
        start = int(rng.random() * (_STREAM - high))
        words = self.stream[start : start + self.between(low, high)]
        roll = 1.0 if plain else rng.random()
        at = int(rng.random() * (len(words) - 1))
        if roll < 0.18:
            words[at] = f"**{words[at]} {words.pop(at + 1)}**"
        elif roll < 0.26:
            words[at] = f"`{words[at]}`"
        elif roll < 0.34:
            slug = "-".join(words[at : at + 2])
            words[at] = f"[{words[at]} {words.pop(at + 1)}](https://wiki.example.org/{slug})"
        words[0] = words[0][:1].upper() + words[0][1:]
        ending = "." if plain else _ENDINGS[int(rng.random() * len(_ENDINGS))]
        return " ".join(words) + ending

    def sentence(self, kind: str, person: Person) -> str:
        """A line from the demo's pools (half the time) or a word mixture."""
        if self.rng.random() < 0.5:
            return self.fill(self.rng.choice(self.lines[kind]), person)
        return self.mixture()

    # --- whole fields ------------------------------------------------------------------------

    def theme(self) -> demo.Block:
        return self.rng.choice(self.themes)

    def title(self, theme: demo.Block, person: Person) -> str:
        return self.fill(theme.title, person)[:300]

    def summary(self, theme: demo.Block, person: Person) -> str:
        sums = theme.all("sum")
        return self.fill(self.rng.choice(sums), person) if sums else self.mixture(8, 14, plain=True)

    def todo(self, theme: demo.Block, person: Person) -> tuple[str, str]:
        """An action item as (owner, text) from the theme's to-dos, or a made-up one."""
        todos = theme.all("todo")
        if todos and self.rng.random() < 0.7:
            owner, _, text = self.rng.choice(todos).partition(" | ")
            return owner.strip(), self.fill(text.strip(), person)
        return self.rng.choice(("mentee", "mentor")), self.mixture(5, 10, plain=True).rstrip(".?")

    def notes(self, headings: Sequence[str], theme: demo.Block, person: Person) -> str:
        """Markdown notes of about 1 KB on average (300 bytes to a few KB), under ``headings``."""
        rng = self.rng
        target = rng.triangular(200, 2000, 600)
        parts: list[str] = []
        size = 0
        kinds = ("now", "dig", "try", "next")
        if rng.random() < 0.3:
            parts.append(self.fill(rng.choice(self.pools["wellbeing"]), person))
        for position, heading in enumerate(itertools.cycle(headings)):
            if size >= target:
                break
            if position >= len(headings):
                heading = f"{heading} (continued)"
            kind = kinds[min(position, len(kinds) - 1)]
            style = rng.random()
            count = self.between(2, 5)
            if style < 0.5:
                body = "\n".join(f"- {self.sentence(kind, person)}" for _ in range(count))
            elif style < 0.65:
                body = "\n".join(f"{n}. {self.sentence(kind, person)}" for n in range(1, count))
            elif style < 0.72:
                body = f"> {self.sentence(kind, person)}"
            else:
                body = " ".join(self.sentence(kind, person) for _ in range(count))
            section = f"## {heading}\n\n{body}"
            parts.append(section)
            size += len(section)
        return "\n\n".join(parts) + "\n"

    def paragraph(self, person: Person, kind: str = "dig", sentences: int = 3) -> str:
        return " ".join(self.sentence(kind, person) for _ in range(sentences))
