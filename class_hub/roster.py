"""The class roster: a CSV file of learners and instructors, checked line by line.

    username,role,team
    ana,learner,red
    ben,learner,red
    cy,learner,
    ines,instructor,

``username`` becomes both the hub account and the system account its server runs as,
so it must be a safe Unix name. ``role`` is ``learner`` or ``instructor``. ``team``
(optional, learners only) names the team whose shared server the learner may open.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9-]{0,29}$")  # a portable Unix account name, no trailing '-'
ROLES = ("learner", "instructor")
COLUMNS = ("username", "role", "team")
TEAM_ACCOUNT_PREFIX = "team-"  # a team's server runs as the system account team-<team>


class RosterError(ValueError):
    """The roster cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    team: str = ""


@dataclass
class Roster:
    people: list[Person] = field(default_factory=list)

    @property
    def learners(self) -> list[str]:
        return [p.username for p in self.people if p.role == "learner"]

    @property
    def instructors(self) -> list[str]:
        return [p.username for p in self.people if p.role == "instructor"]

    @property
    def teams(self) -> dict[str, list[str]]:
        teams: dict[str, list[str]] = {}
        for p in self.people:
            if p.team:
                teams.setdefault(p.team, []).append(p.username)
        return teams

    def team_of(self, username: str) -> str:
        return next((p.team for p in self.people if p.username == username), "")

    def accounts(self) -> dict[str, str]:
        """Every system account the hub needs: name -> what it is for."""
        found = {p.username: p.role for p in self.people}
        found.update({team_account(t): "team" for t in self.teams})
        return found


def team_account(team: str) -> str:
    return TEAM_ACCOUNT_PREFIX + team


def load(path: Path) -> Roster:
    """Read and check a roster; raise RosterError naming the file, line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's BOM is fine
    except FileNotFoundError:
        raise RosterError(f"{path}: no such roster file") from None
    except UnicodeDecodeError:
        raise RosterError(f"{path}: not a UTF-8 text file (save the roster as CSV)") from None
    return parse(text, str(path))


def parse(text: str, source: str = "roster") -> Roster:
    rows = list(csv.reader(text.splitlines()))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise RosterError(f"{source}: empty; expected a header line: {','.join(COLUMNS)}")
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS[:2] if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise RosterError(
            f"{source} line 1: the header must be {','.join(COLUMNS)} (team is optional); "
            f"got {','.join(header)!r}"
        )
    roster, seen = Roster(), {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{source} line {number}"
        if len(row) > len(header):
            raise RosterError(f"{where}: {len(row)} fields, the header has {len(header)}")
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        person = _person(values, where)
        if person.username in seen:
            raise RosterError(
                f"{where}: {person.username!r} is already on line {seen[person.username]}"
            )
        seen[person.username] = number
        roster.people.append(person)
    if not roster.people:
        raise RosterError(f"{source}: no learners or instructors listed")
    return roster


def _person(values: dict[str, str], where: str) -> Person:
    username, role, team = (
        values.get("username", ""),
        values.get("role", ""),
        values.get("team", ""),
    )
    if not username:
        raise RosterError(f"{where}: no username")
    if not NAME.match(username) or username.endswith("-"):
        raise RosterError(
            f"{where}: {username!r} is not a usable account name: lower-case letters, digits "
            "and '-', starting with a letter, at most 30 characters"
        )
    if username.startswith(TEAM_ACCOUNT_PREFIX):
        raise RosterError(f"{where}: {username!r}: names starting 'team-' are kept for teams")
    role = role.lower()
    if role not in ROLES:
        raise RosterError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
    if team:
        if role != "learner":
            raise RosterError(f"{where}: only learners belong to teams ({username} is {role})")
        if not NAME.match(team) or len(team) > 25:
            raise RosterError(
                f"{where}: team {team!r} is not a usable name: lower-case letters, digits and "
                "'-', starting with a letter, at most 25 characters"
            )
    return Person(username, role, team)
