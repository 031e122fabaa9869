"""Write a valid TDE project of N records, the same for the same seed, for benchmarks.

About half the records are interviews, a quarter use cases, and the rest personas, plans and
feedback. Front matter carries comments, quoted and folded values, unicode and references
between records; bodies are 1 to 4 KB of Markdown. Exactly one use case is selected and every
plan points at it, so ``tde validate`` finds nothing to report.

    python benchmarks/generate.py DIR N [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

CRITERIA = ("capacity", "interest", "partner_support", "data_gap", "impact")

SETTINGS = """\
# tde.yaml: a generated project for benchmarks ({n} records, seed {seed}).
name: Lakeside housing and transit data engagement
organization: City of Lakeside, Open Data Program
focus_area: Getting to work and staying housed

scoring:
  scale: [1, 5]            # lowest and highest score
  criteria:
    capacity:
      weight: 0.30
      meaning: Staff time, budget and data readiness we can commit
    interest:
      weight: 0.30
      meaning: Stakeholder and resident interest
    partner_support:
      weight: 0.15         # partners who will carry the work on
      meaning: Partners ready to help carry the work and sustain it
    data_gap:
      weight: 0.15
      meaning: How clear the gap in information or data is
    impact:
      weight: 0.10
      meaning: How much it would change things for residents
"""

PEOPLE = (
    "María Ortega", "Zoë Lindqvist", "Nguyễn Văn An", "Jürgen Müller", "Aoife Ní Bhriain",
    "José Peña", "Łucja Wiśniewska", "Chidi Okafor", "Søren Kierkegaard-Hansen", "Amélie Dubois",
    "Fatima Al-Sayed", "王芳", "Priya Raghavan", "Kofi Mensah", "Olga Ivanova", "Tomás Ó Briain",
    "Ana Lúcia Souza", "Hiroshi Tanaka", "Dana Whitfeather", "Sam Carter",
)
ORGS = (
    "Lakeside Tenants Union", "Northside Neighborhood Association", "Code for Lakeside",
    "Lakeside Legal Aid Society", "Lakeside Courier", "Department of Housing & Community Development",
    "Lakeside State University, Urban Lab", "Eastside Food Bank", "Lakeside Transit Riders' Alliance",
    "Chamber of Commerce", "Library branch on Calloway Avenue", "Café Mañana co-op",
)
TOPICS = (
    "eviction filings", "bus stop accessibility", "code violations", "rental assistance",
    "building ownership", "heat complaints", "late buses", "sidewalk repairs",
    "affordable units expiring", "bike lanes", "utility shut-offs", "school commute routes",
    "street lighting", "flood risk", "day-care openings", "job centre access",
)
PLACES = (
    "Northside", "Eastside", "Old Harbour", "Calloway Avenue", "Río Verde", "Mühlenviertel",
    "Lakeshore", "the airport corridor", "Saint-Étienne Park", "Kōwhai Heights",
)
STAKEHOLDERS = (
    "resident", "community_group", "nonprofit", "researcher", "journalist",
    "civic_technologist", "business", "government", "other",
)
TACTICS = ("interview", "scope_a_thon", "expert_consultation", "public_consultation", "partner_workshop")
CONSENTS = ("public", "anonymous", "private")
CHANNELS = (
    "online_comment", "email", "survey", "focus_group", "workshop", "meeting", "co_design",
    "one_on_one", "user_test", "advisory_group", "other",
)
WORDS = (
    "residents", "data", "monthly", "neighborhood", "partners", "release", "printed", "summary",
    "renters", "hearing", "portal", "spreadsheet", "volunteers", "council", "trend", "map",
    "clinic", "outreach", "privacy", "counts", "schedule", "guide", "Spanish", "Vietnamese",
    "library", "archive", "budget", "staff", "timeline", "agreement", "dashboard", "download",
    "route", "stop", "bus", "transfer", "fare", "complaint", "inspection", "landlord",
)


def _sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), rng.choice(PLACES))
    return " ".join(words) + rng.choice((".", ".", ".", "?", "!"))


def _body(rng: random.Random, title: str) -> str:
    """A Markdown body of 1 to 4 KB: headings, paragraphs, a list and a quote."""
    target = rng.randint(1024, 4096)
    parts = [f"## {title}\n"]
    headings = ("Context", "What we heard", "In their words", "Our interpretation", "Follow-ups")
    index = 0
    while sum(len(p.encode("utf-8")) for p in parts) < target:
        heading = headings[index % len(headings)]
        index += 1
        parts.append(f"\n## {heading}\n\n")
        if heading == "In their words":
            parts.append(f"> \u201c{_sentence(rng)}\u201d\n")
        elif heading == "Follow-ups":
            parts.extend(f"- {_sentence(rng, 4, 9)}\n" for _ in range(rng.randint(2, 4)))
        else:
            paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
            parts.append(_wrap(paragraph) + "\n")
    return "".join(parts)


def _wrap(text: str, width: int = 92) -> str:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date(rng: random.Random, start: dt.date = dt.date(2025, 1, 1), days: int = 600) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(days))


def _list(name: str, items: list[str], rng: random.Random) -> list[str]:
    if not items:
        return []
    if rng.random() < 0.3 and all(len(i) < 30 and "," not in i for i in items):
        return [f"{name}: [{', '.join(items)}]"]
    return [f"{name}:", *(f"  - {item}" for item in items)]


def _file(front: list[str], body: str) -> str:
    return "---\n" + "\n".join(front) + "\n---\n\n" + body


def _counts(n: int) -> dict[str, int]:
    """Records per kind: half interviews, a quarter use cases, the rest personas, plans, feedback."""
    usecases = max(1, n // 4)
    plans = max(1, n // 20)
    personas = max(1, n // 10)
    feedback = max(1, n - n // 2 - usecases - plans - personas)
    interviews = max(1, n - usecases - plans - personas - feedback)
    return {"interview": interviews, "persona": personas, "usecase": usecases,
            "plan": plans, "feedback": feedback}


def generate(root: Path, n: int, seed: int = 2026) -> dict[str, int]:
    """Write the project under ``root`` (which must not hold one yet); return records per kind."""
    rng = random.Random(seed)
    counts = _counts(n)
    ids = {kind: [f"{kind}-{i:05d}" for i in range(count)] for kind, count in counts.items()}
    for kind in ("interview", "persona", "usecase", "plan", "feedback"):
        ids[kind] = [f"{base}-{rng.choice(TOPICS).replace(' ', '-')}" for base in ids[kind]]
    selected = ids["usecase"][0]
    folders = {"interview": "interviews", "persona": "personas", "usecase": "usecases",
               "plan": "plans", "feedback": "feedback"}
    root.mkdir(parents=True, exist_ok=True)
    (root / "tde.yaml").write_text(SETTINGS.format(n=n, seed=seed), encoding="utf-8")
    for folder in folders.values():
        (root / folder).mkdir(exist_ok=True)
    (root / ".gitignore").write_text("# tde's cache and lock\n.tde-cache/\n", encoding="utf-8")

    writers = {
        "interview": lambda rid: _interview(rng, rid, ids),
        "persona": lambda rid: _persona(rng, rid, ids),
        "usecase": lambda rid: _usecase(rng, rid, ids, rid == selected),
        "plan": lambda rid: _plan(rng, rid, ids, selected),
        "feedback": lambda rid: _feedback(rng, rid, ids),
    }
    for kind, kind_ids in ids.items():
        for rid in kind_ids:
            text = writers[kind](rid)
            (root / folders[kind] / f"{rid}.md").write_text(text, encoding="utf-8")
    return counts


def _common(rng: random.Random, rid: str, title: str, tags: list[str]) -> list[str]:
    lines = [f"id: {rid}"]
    lines.append(f"title: {_quoted(title)}" if rng.random() < 0.5 or ":" in title else f"title: {title}")
    lines.append(f"created: {_date(rng).isoformat()}")
    lines.extend(_list("tags", tags, rng))
    return lines


def _interview(rng: random.Random, rid: str, ids: dict[str, list[str]]) -> str:
    person = rng.choice(PEOPLE)
    topic = rng.choice(TOPICS)
    title = f"{person} on {topic} in {rng.choice(PLACES)}"
    front = _common(rng, rid, title, rng.sample(["interview", "housing", "transit", "court data", "accès"], 2))
    consent = rng.choice(CONSENTS)
    front += [
        f"date: {_date(rng).isoformat()}",
        f"interviewee: {person}",
        f"organization: {rng.choice(ORGS)}",
        f"stakeholder_type: {rng.choice(STAKEHOLDERS)}",
        f"tactic: {rng.choice(TACTICS)}",
        f"consent: {consent}" + ("   # never leaves the team" if consent == "private" else ""),
    ]
    front += _list("usecases", rng.sample(ids["usecase"], min(len(ids["usecase"]), rng.randint(1, 3))), rng)
    front += _list("needs", [_sentence(rng, 5, 12).rstrip(".?!") for _ in range(rng.randint(1, 4))], rng)
    return _file(front, _body(rng, title))


def _persona(rng: random.Random, rid: str, ids: dict[str, list[str]]) -> str:
    role = f"{rng.choice(('Tenant organizer', 'Bus rider', 'Data analyst', 'Reporter', 'Caseworker'))} in {rng.choice(PLACES)}"
    front = _common(rng, rid, role, ["persona"])
    front.append(f"role: {role}")
    for name in ("goals", "pain_points", "data_needs"):
        front += _list(name, [_sentence(rng, 4, 10).rstrip(".?!") for _ in range(rng.randint(1, 4))], rng)
    front.append(f"data_skills: {rng.choice(('low', 'medium', 'high'))}")
    front += _list("interviews", rng.sample(ids["interview"], min(len(ids["interview"]), rng.randint(2, 4))), rng)
    return _file(front, _body(rng, role))


def _usecase(rng: random.Random, rid: str, ids: dict[str, list[str]], selected: bool) -> str:
    topic = rng.choice(TOPICS)
    title = f"{topic.capitalize()} by neighborhood, for {rng.choice(('renters', 'riders', 'organizers', 'reporters'))}"
    front = _common(rng, rid, title, [topic, "use case"])
    status = "selected" if selected else rng.choice(("candidate", "shortlisted", "parked"))
    front.append(f"status: {status}" + ("   # chosen at the 2026-04-14 team meeting" if selected else ""))
    front += _list("personas", rng.sample(ids["persona"], min(len(ids["persona"]), rng.randint(1, 3))), rng)
    front.append("user_stories:")
    for _ in range(rng.randint(1, 3)):
        front += [
            f"  - as_a: {rng.choice(('renter', 'bus rider', 'tenant organizer', 'reporter'))} in {rng.choice(PLACES)}",
            f"    i_want: {_sentence(rng, 5, 10).rstrip('.?!').lower()}",
            f"    so_that: {_sentence(rng, 5, 10).rstrip('.?!').lower()}",
        ]
    front.append("datasets:")
    for _ in range(rng.randint(1, 2)):
        front += [
            f"  - name: {topic.capitalize()} records",
            f"    status: {rng.choice(('published', 'unpublished', 'missing'))}",
            f"    owner: {rng.choice(ORGS)}",
        ]
    front += _list("partners", rng.sample(ORGS, rng.randint(1, 3)), rng)
    front += _list("evidence", rng.sample(ids["interview"], min(len(ids["interview"]), rng.randint(1, 4))), rng)
    front.append("scores:")
    front += [f"  {name}: {rng.randint(1, 5)}" for name in CRITERIA]
    front += ["score_notes:", f"  capacity: {_quoted(_sentence(rng))}"]
    return _file(front, _body(rng, title))


def _plan(rng: random.Random, rid: str, ids: dict[str, list[str]], selected: str) -> str:
    title = f"Draft plan: {rng.choice(TOPICS)} release, round {rng.randint(1, 9)}"
    front = _common(rng, rid, title, ["plan"])
    front += [
        f"usecase: {selected}",
        "status: draft   # circulate after the partner briefing",
        "intervention:",
        f"  kind: {rng.choice(('product', 'project', 'tool', 'data_release', 'event', 'training'))}",
        "  summary: >-",
        f"    {_sentence(rng, 10, 18)}",
        f"    {_sentence(rng, 10, 18)}",
        "  level: lower_barriers",
    ]
    front += _list("audience", rng.sample(ids["persona"], min(len(ids["persona"]), rng.randint(1, 3))), rng)
    front += ["roles:", f"  - who: {rng.choice(ORGS)}", f"    does: {_sentence(rng)}"]
    front += _list("activities", [_sentence(rng, 5, 10).rstrip(".?!") for _ in range(3)], rng)
    front += [
        "milestones:",
        "  - what: First release",
        f"    when: {_date(rng, dt.date(2026, 9, 1), 200).isoformat()}",
        "    who: Open Data Program",
        "  - what: Six-month review with partners",
        "    when: April 2027",
    ]
    front += _list("outcomes", [_sentence(rng, 6, 12).rstrip(".?!")], rng)
    front += [
        f"resources: {_quoted('About 0.3 FTE for three months; €2,400 for printing')}",
        f"steward: {rng.choice(ORGS)}",
        "engagement:",
        "  - tactic: open_comment",
        f"    date: {_date(rng, dt.date(2026, 5, 1), 60).isoformat()}",
        f"    notes: {_quoted(_sentence(rng))}",
        "formality: standard",
    ]
    front += _list("next_steps", [_sentence(rng, 5, 10).rstrip(".?!")], rng)
    return _file(front, _body(rng, title))


def _feedback(rng: random.Random, rid: str, ids: dict[str, list[str]]) -> str:
    title = f"Comment on the {rng.choice(('timeline', 'privacy rules', 'summary', 'audience', 'budget'))}"
    front = _common(rng, rid, title, ["feedback"])
    disposition = rng.choice(("open", "accepted", "partly_accepted", "declined"))
    front += [
        f"plan: {rng.choice(ids['plan'])}",
        f"date: {_date(rng, dt.date(2026, 6, 1), 90).isoformat()}",
        f"source: {rng.choice(PEOPLE + ORGS)}",
        f"consent: {rng.choice(CONSENTS)}",
        f"channel: {rng.choice(CHANNELS)}",
        f"section: {rng.choice(('Milestones', 'Privacy', 'Audience', 'Resources'))}",
        f"disposition: {disposition}",
    ]
    if disposition != "open":
        front += ["response: >-", f"  {_sentence(rng, 8, 16)}", f"  {_sentence(rng, 8, 16)}"]
    return _file(front, _body(rng, title))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("records", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.records < 5:
        parser.error("at least 5 records are needed (one of each kind)")
    if (args.directory / "tde.yaml").exists():
        parser.error(f"{args.directory} already holds a project")
    counts = generate(args.directory, args.records, args.seed)
    print(f"{sum(counts.values())} records in {args.directory}: "
          + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
