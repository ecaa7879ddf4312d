"""The quiz's scoring, run on chosen answers without nbgrader: the partial-credit figures
the quiz documents (PrairieLearn's net-correct for select-all questions, a share per key
or term for dict answers), feedback that names a misconception for every wrong option,
glossary definitions that do not give their term away, and essay rubrics with half marks.

Each question is scored by its hidden test alone: the key, the arithmetic and the notes
are inline, in a function the test defines and calls on the learner's answer (its last
line, whose value nbgrader's partial credit takes). A learner's cell can rebind any name
in the notebook, so the tests here run each hidden test where every name of the setup
cell and every builtin is a trap, and grade a submission that rebinds them all.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib.util
import json
import re
import symtable
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
QUIZ = ROOT / "solutions" / "quiz" / "quiz.ipynb"
CELLS = {c["metadata"]["nbgrader"]["grade_id"]: c for c in json.loads(QUIZ.read_text())["cells"]}
SELECT_ALL = ["q3", "q4", "q6", "q9"]
PAIRS = ["q1", "q7", "q8", "glossary-1", "glossary-2", "glossary-3"]
SINGLE = ["q2", "q10"]
AUTOGRADED = [gid[len("test-") :] for gid in CELLS if gid.startswith("test-")]


def _source(gid: str) -> str:
    source = CELLS[gid]["source"]
    return source if isinstance(source, str) else "".join(source)


def _split(exercise: str) -> tuple[str, str]:
    """A check's visible part (the format check) and its hidden test."""
    visible, rest = _source(f"test-{exercise}").split("### BEGIN HIDDEN TESTS\n", 1)
    return visible, rest.split("### END HIDDEN TESTS", 1)[0]


def _hidden(exercise: str) -> str:
    return _split(exercise)[1]


def _call(exercise: str) -> ast.Call:
    """The hidden test's last line: the call of its scoring function on the answer."""
    return ast.parse(_hidden(exercise)).body[-1].value


def _answer_name(exercise: str) -> str:
    return _call(exercise).args[0].id


def _spec(exercise: str) -> dict:
    """The scoring function's literal data: points, key, true/false, wrong, notes, rules."""
    (function,) = [s for s in ast.parse(_hidden(exercise)).body if isinstance(s, ast.FunctionDef)]
    spec = {}
    for statement in function.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
            with contextlib.suppress(ValueError):  # not literal: computed from the answer
                spec[statement.targets[0].id] = ast.literal_eval(statement.value)
    return spec


def _letters(exercise: str) -> str:
    return re.search(r'letters="([a-z]+)"', _source(f"test-{exercise}")).group(1)


@pytest.fixture(scope="module")
def quiz() -> dict:
    namespace: dict = {}
    exec(_source("setup"), namespace)
    return namespace


def _defined(source: str) -> set[str]:
    """The names a cell binds at its top level."""
    table = symtable.symtable(source, "cell", "exec")
    return {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}


# What the hidden tests looked up in the notebook before they were made self-contained:
# the scoring helpers of the setup cell (it now holds only the format checks).
OLD_HELPERS = {
    "score_choice",
    "score_choices",
    "score_order",
    "score_pairs",
    "_scored",
    "net_correct",
}


def _trap(name: str):
    def trap(*args, **kwargs):
        raise AssertionError(f"a hidden test used {name!r}, a name a learner's cell can rebind")

    return trap


def _traps() -> dict:
    """Every name a learner's cell could rebind to sway a hidden test, as a trap: the
    setup cell's, the old helpers' and every builtin's."""
    names = _defined(_source("setup")) | OLD_HELPERS | set(dir(builtins))
    return {name: _trap(name) for name in names if name != "__builtins__"}


def _run_hidden(exercise: str, answer) -> float:
    """Run the exercise's hidden test where the answer is the only name of the notebook's
    that is not a trap; return the value of its last line (the points it earns)."""
    namespace = {**_traps(), _answer_name(exercise): answer}
    body = ast.parse(_hidden(exercise)).body
    exec(compile(ast.Module(body[:-1], []), exercise, "exec"), namespace)
    return eval(compile(ast.Expression(body[-1].value), exercise, "eval"), namespace)


def hidden(exercise: str, answer, capsys) -> tuple[float, str]:
    """The hidden test alone, on ``answer``: the points it gives and what it printed."""
    capsys.readouterr()
    score = _run_hidden(exercise, answer)
    return score, capsys.readouterr().out


def grade(quiz: dict, exercise: str, answer, capsys) -> tuple[float, str]:
    """The exercise's whole check, as the grader runs it, on ``answer``: the format check
    (with the setup cell's helpers), then the hidden test; the points it gives and what
    it printed."""
    capsys.readouterr()
    exec(_split(exercise)[0], {**quiz, _answer_name(exercise): answer})
    score = _run_hidden(exercise, answer)
    return score, capsys.readouterr().out


def test_every_check_ends_with_the_call_that_scores_it():
    for exercise in AUTOGRADED:
        body = ast.parse(_source(f"test-{exercise}")).body
        last = body[-1]
        # nbgrader gives partial credit only when a check's last line is an expression
        assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), exercise
        assert last.value.func.id == "_score" and len(last.value.args) == 1, exercise
        assert _answer_name(exercise) == exercise.replace("-", "_"), exercise
        assert (
            _spec(exercise)["points"] == CELLS[f"test-{exercise}"]["metadata"]["nbgrader"]["points"]
        ), f"{exercise}: the score's points differ from the cell's"


@pytest.mark.parametrize("exercise", AUTOGRADED)
def test_a_hidden_test_reads_nothing_of_the_notebook_but_the_answer(exercise):
    """Checked on the code: the hidden test binds its scoring function and reads only the
    answer at the top level; inside, every name is its own (builtins are imported)."""
    table = symtable.symtable(_hidden(exercise), exercise, "exec")
    read = {s.get_name() for s in table.get_symbols() if s.is_referenced() and not s.is_assigned()}
    assert read == {_answer_name(exercise)}, exercise
    assert _defined(_hidden(exercise)) == {"_score"}, exercise
    scopes = list(table.get_children())
    while scopes:
        scope = scopes.pop()
        scopes += scope.get_children()
        outside = [s.get_name() for s in scope.get_symbols() if s.is_global()]
        assert not outside, f"{exercise}: {scope.get_name()} looks up {outside} in the notebook"


@pytest.mark.parametrize("exercise", AUTOGRADED)
def test_the_key_earns_full_marks(quiz, exercise, capsys):
    spec = _spec(exercise)
    key = spec.get("key", set(spec.get("true", ())))
    score, out = grade(quiz, exercise, key, capsys)
    assert score == spec["points"] and isinstance(score, float)
    assert "is wrong" not in out and "left out" not in out


# The figures the quiz's introduction and the book's review page state, written out.
NET_CORRECT = [
    # (exercise, answer, points earned)
    ("q3", {"b", "c", "d"}, 3.0),  # all three true statements
    ("q3", {"b", "c", "d", "e"}, 2.0),  # plus one false statement
    ("q3", {"b", "c"}, 2.0),  # one true statement left out
    ("q3", {"b", "e"}, 0.0),  # one right, one wrong: they cancel
    ("q3", {"b", "c", "e", "f"}, 0.0),
    ("q3", set("abcdef"), 0.0),  # everything selected
    ("q4", {"a", "b", "c"}, 1.0),
    ("q4", set("abcdef"), 0.0),
    ("q6", {"b", "d", "f"}, 3.0),  # the study guide's list, without the EBS volume
    ("q6", {"b", "d", "e", "f", "g"}, 3.0),
    ("q6", {"b", "d", "e", "f", "a", "g"}, 2.0),
    ("q6", set("abcdefgh"), 0.0),
    ("q9", {"a", "b", "c", "g", "d"}, 3.0),
    ("q9", {"a", "d", "g"}, 1.0),
    ("q9", set("abcdefgh"), 0.0),
]


@pytest.mark.parametrize("exercise,answer,earned", NET_CORRECT)
def test_select_all_earns_net_correct(quiz, exercise, answer, earned, capsys):
    assert grade(quiz, exercise, answer, capsys)[0] == earned


@pytest.mark.parametrize("exercise", SELECT_ALL)
def test_select_all_edge_cases(quiz, exercise, capsys):
    spec = _spec(exercise)
    true, false, points = set(spec["true"]), set(spec["false"]), spec["points"]
    assert true | false == set(_letters(exercise)) and not true & false
    assert len(false) >= len(true), f"{exercise}: selecting everything must not pay"
    assert grade(quiz, exercise, true | false, capsys)[0] == 0.0
    one_wrong = points * (len(true) - 1) / len(true)
    for extra in false:
        assert grade(quiz, exercise, true | {extra}, capsys)[0] == round(one_wrong, 2)
    # nothing selected earns nothing, and the format check refuses it first
    assert hidden(exercise, set(), capsys)[0] == 0.0
    with pytest.raises(AssertionError, match="empty"):
        grade(quiz, exercise, set(), capsys)


PAIR_FIGURES = [
    ("q1", {"classic": "b", "studio": "a"}, 1.5),
    ("q1", {"classic": "d", "studio": "b"}, 0.0),  # Classic and Studio swapped
    (
        "q7",
        {
            "statistician": "RStudio",
            "analyst": "Canvas",
            "tracking": "MLflow",
            "engineer": "JupyterLab",
            "licence": "RStudio",
        },
        2.4,
    ),
    ("q8", {"classic": "b", "studio": "b"}, 1.5),
    ("glossary-1", {1: "d", 2: "g", 3: "c", 4: "f", 5: "a", 6: "e", 7: "b"}, 2.14),  # a swap
    ("glossary-2", {8: "i", 9: "j", 10: "k", 11: "m", 12: "l", 13: "h", 14: "n"}, 1.71),
    ("glossary-3", {15: "u", 16: "p", 17: "t", 18: "o", 19: "s", 20: "q", 21: "r"}, 0.0),
]


@pytest.mark.parametrize("exercise,answer,earned", PAIR_FIGURES)
def test_dict_answers_earn_a_share_per_key(quiz, exercise, answer, earned, capsys):
    assert grade(quiz, exercise, answer, capsys)[0] == earned


def test_a_glossary_term_is_worth_three_sevenths(quiz, capsys):
    key = _spec("glossary-1")["key"]
    # the format check wants each letter once, so one wrong term alone goes to the hidden
    # test without it
    for term in key:
        assert hidden("glossary-1", {**key, term: "z"}, capsys)[0] == 2.57


@pytest.mark.parametrize("exercise", SINGLE)
def test_single_choice_is_all_or_nothing_and_names_the_mistake(quiz, exercise, capsys):
    spec = _spec(exercise)
    assert set(spec["wrong"]) | {spec["key"]} == set(_letters(exercise))
    notes = list(spec["wrong"].values())
    assert all(_is_a_misconception(n) for n in notes) and len(set(notes)) == len(notes)
    for letter, note in spec["wrong"].items():
        score, out = grade(quiz, exercise, letter, capsys)
        assert score == 0.0
        assert f"({letter}) is wrong: {note}" in out


def test_an_ordering_is_all_or_nothing_and_names_the_broken_step(quiz, capsys):
    spec = _spec("q5")
    score, out = grade(quiz, "q5", ["d", "e", "b", "c", "a"], capsys)
    assert score == 0.0
    assert "(b) must come before (e): the image is pulled onto the instance" in out
    assert out.count("must come before") == 1
    # the key keeps every rule, and each rule explains itself
    key = spec["key"]
    for first, then, why in spec["rules"]:
        assert key.index(first) < key.index(then) and why


def _is_a_misconception(note: str) -> bool:
    """A note says what is wrong in a sentence of its own, not where to read."""
    return len(note.split()) >= 6 and not re.search(r"\b(see|chapter|page)\b", note, re.I)


@pytest.mark.parametrize("exercise", SELECT_ALL)
def test_every_option_of_a_select_all_question_has_its_own_note(quiz, exercise, capsys):
    spec = _spec(exercise)
    notes = list(spec["true"].values()) + list(spec["false"].values())
    assert all(_is_a_misconception(n) for n in notes), exercise
    assert len(set(notes)) == len(notes), f"{exercise}: two options share a note"
    for letter, note in spec["false"].items():
        _, out = grade(quiz, exercise, set(spec["true"]) | {letter}, capsys)
        assert f"({letter}) is wrong: {note}" in out
        assert "left out" not in out
    for letter, note in spec["true"].items():
        _, out = grade(quiz, exercise, set(spec["true"]) - {letter}, capsys)
        assert f"({letter}) is true and was left out: {note}" in out


def _vocabulary(exercise: str) -> list:
    """The values the format check accepts (its ``vocabulary`` or ``letters``)."""
    check = ast.parse(_source(f"test-{exercise}")).body[0].value
    args = {kw.arg: ast.literal_eval(kw.value) for kw in check.keywords}
    return list(args.get("vocabulary") or args["letters"])


@pytest.mark.parametrize("exercise", PAIRS)
def test_every_wrong_value_of_a_dict_answer_is_explained(quiz, exercise, capsys):
    spec = _spec(exercise)
    key, notes = spec["key"], spec["notes"]
    assert set(notes) == set(key), exercise
    seen = []
    for k, per_key in notes.items():
        wrong_values = [v for v in _vocabulary(exercise) if v != key[k]]
        assert key[k] not in per_key, f"{exercise}[{k!r}]: the right value has a note"
        assert "*" in per_key or set(wrong_values) <= set(per_key), f"{exercise}[{k!r}]"
        for given in wrong_values:
            note = per_key.get(given, per_key.get("*"))
            seen.append(note)
            earned, out = hidden(exercise, {**key, k: given}, capsys)
            assert earned < spec["points"]
            assert f"[{k!r}] = {given!r} is wrong: {note}" in out
    distinct = set(seen)
    assert all(_is_a_misconception(n) for n in distinct), exercise
    assert len(distinct) == sum(len(per_key) for per_key in notes.values()), (
        f"{exercise}: two keys or values share a note"
    )


# ------------------------------------------------------------------ the glossary

# Words too general to give a term away: the product's name, and "space", which three
# terms of group 2 share. Other give-aways, beyond the term's own words: the words an
# acronym stands for, and the parts of names written as one word.
GENERAL = {"sagemaker", "space"}
ALSO = {
    "EBS": ["block"],
    "ECR": ["registry"],
    "EFS": ["file system"],
    "EMR": ["mapreduce"],
    "RTC": ["real-time", "real time", "collaborat"],
    "RStudio": ["studio", "R language"],
    "HyperPod": ["hyper", "pod"],
    "MLflow": ["flow"],
    "JupyterLab Space": ["jupyter"],
}


def _stem(word: str) -> str:
    """The start of a word that its obvious forms share (shared/share, features/feature)."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def _glossary() -> list[tuple[str, str]]:
    """(term, its definition) for all 21 terms, from the questions and the key."""
    pairs = []
    for group, md in (("glossary-1", "md-32"), ("glossary-2", "md-35"), ("glossary-3", "md-38")):
        text = _source(md).split("### Glossary, group " + group[-1], 1)[1]
        terms = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", text, re.M))
        definitions = dict(re.findall(r"^- \*\*([a-z])\*\* (.+)$", text, re.M))
        assert len(terms) == len(definitions) == 7, group
        for number, letter in _spec(group)["key"].items():
            pairs.append((terms[str(number)], definitions[letter]))
    return pairs


def test_the_glossary_has_all_21_terms():
    assert len({term for term, _ in _glossary()}) == 21


@pytest.mark.parametrize("term,definition", _glossary())
def test_no_definition_gives_its_term_away(term, definition):
    words = [w for w in term.lower().split() if w not in GENERAL]
    stems = [_stem(w) for w in words] + [w.lower() for w in ALSO.get(term, [])]
    found = [s for s in stems if re.search(r"\b" + re.escape(s), definition.lower())]
    assert not found, f"the definition of {term!r} contains {found}: {definition}"


def test_the_give_away_check_catches_a_give_away():
    with pytest.raises(AssertionError):
        test_no_definition_gives_its_term_away("Shared Space", "A space others share.")
    with pytest.raises(AssertionError):
        test_no_definition_gives_its_term_away("EFS", "A network file system over NFS.")


# ------------------------------------------------------------ variants and essays


def _variants():
    path = ROOT / "tests" / "lab_variants" / "quiz.py"
    spec = importlib.util.spec_from_file_location("quiz_variants", path)
    variants = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(variants)
    return variants


def _wrong_answer(exercise: str):
    """The answer of the exercise's wrong variant (tests/lab_variants/quiz.py)."""
    namespace: dict = {}
    exec(_variants().WRONG[exercise], namespace)
    return namespace[_answer_name(exercise)]


def test_each_wrong_variant_keeps_what_the_rule_gives(quiz, capsys):
    variants = _variants()
    assert set(variants.WRONG) == set(AUTOGRADED)
    for exercise in variants.WRONG:
        score, out = grade(quiz, exercise, _wrong_answer(exercise), capsys)
        assert score == variants.EARNS.get(exercise, 0.0), exercise
        assert score < _spec(exercise)["points"], exercise
        assert re.search(r"is wrong|left out|must come before", out), exercise


def test_essay_rubrics_say_what_earns_full_half_and_no_marks():
    for n in range(1, 6):
        rubric = _source(f"essay-{n}").split("**Rubric for the grader", 1)[1]
        for mark in ("*1:*", "*0.5:*", "*0:*"):
            assert rubric.count(mark) == 4, f"essay {n}: {mark} is not given for each point"
    classic = _source("essay-1")
    # Classic's status is AWS's documented one; no date earns or costs the point
    assert "no longer available for onboarding" in classic and "*sm-q*" in classic
    assert "No date earns or costs this point" in classic


def test_question_9_says_the_console_lists_running_private_spaces():
    text = _source("md-26")
    assert "`ana-notes`, which is running now" in text
    assert "- **c** While `ana-notes` is running" in text
    assert "running" in _spec("q9")["true"]["c"]


# ------------------------------------------------- what the learner and instructor see


def _graded_cell(exercise: str, score: float, printed: str) -> dict:
    """The check cell as the grader leaves it: its result first, then what it printed."""
    return {
        "cell_type": "code",
        "metadata": CELLS[f"test-{exercise}"]["metadata"],
        "source": _source(f"test-{exercise}"),
        "outputs": [
            {"output_type": "execute_result", "data": {"text/plain": [repr(score)]}},
            {"output_type": "stream", "name": "stdout", "text": printed.splitlines(True)},
        ],
    }


def test_the_feedback_page_keeps_the_misconceptions(quiz, capsys):
    """The feedback page removes every output line that repeats a hidden test's line; the
    notes are printed in other words than they are written in, so they stay."""
    from nbformat import from_dict

    from autograder.feedback import RedactHiddenTests

    score, printed = grade(quiz, "q6", {"b", "d", "f", "g"}, capsys)
    nb = from_dict({"cells": [_graded_cell("q6", score, printed)], "metadata": {}})
    nb.nbformat, nb.nbformat_minor = 4, 5
    page, _ = RedactHiddenTests().preprocess(nb, {})
    shown = "".join(page.cells[0].outputs[1]["text"])
    assert shown == printed and "(g) is wrong: SageMaker Distribution images" in shown
    assert RedactHiddenTests.mark not in shown


def test_the_class_report_counts_partly_right_checks_with_their_notes(quiz, capsys):
    from autograder.results import failed_checks

    score, printed = grade(quiz, "q6", {"b", "d", "f", "g"}, capsys)
    full, said = grade(quiz, "q3", {"b", "c", "d"}, capsys)
    nb = {"cells": [_graded_cell("q6", score, printed), _graded_cell("q3", full, said)]}
    failures = failed_checks({"quiz.ipynb": json.dumps(nb).encode()})
    assert set(failures) == {"test-q6"}  # full marks is not a failure
    assert failures["test-q6"].startswith("2 of 4 points: (g) is wrong: SageMaker Distribution")
    assert "(e) is true and was left out" in failures["test-q6"]


def test_the_stated_point_totals_match_the_notebook():
    points = {"A": 0.0, "B": 0.0, "C": 0.0}
    for gid, cell in CELLS.items():
        meta = cell["metadata"]["nbgrader"]
        if meta.get("grade"):
            part = "C" if gid.startswith("essay") else "B" if "glossary" in gid else "A"
            points[part] += meta["points"]
    assert points == {"A": 32, "B": 9, "C": 20}
    intro = _source("md-00")
    for row in ("| A | 10 questions | 32 |", "| B | glossary matching, 3 × 7 terms | 9 |"):
        assert row in intro
    review = (ROOT / "book" / "review" / "index.md").read_text()
    assert "61 points" in review and "(32 points)" in review and "(9 points)" in review
    assert "(20 points)" in review and "net-correct" in review
    readme = (ROOT / "README.md").read_text()
    assert "61 points: 41 autograded, 20 for essays" in readme


# ------------------------------------------------------- a learner who rebinds names

# Defined in a learner's cell below, and here for the tests: strings that claim to equal
# every value, however they are compared or cleaned, and answers made of them.
CLAIMING = """
class Anything(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__

    def __str__(self):
        return self

    def strip(self, *chars):
        return self

    def lower(self):
        return self


def claim(answer, text=str):
    if isinstance(answer, text):
        return Anything(answer)
    if isinstance(answer, dict):
        return {claim(k): claim(v) for k, v in answer.items()}
    if isinstance(answer, (set, list)):
        return type(answer)(claim(x) for x in answer)
    return answer
"""
_claiming: dict = {}
exec(CLAIMING, _claiming)
claim = _claiming["claim"]


@pytest.mark.parametrize("exercise", AUTOGRADED)
def test_an_answer_claiming_to_equal_the_key_earns_only_what_it_holds(exercise, capsys):
    """The hidden test reads the answer as plain strings, so claims are not believed."""
    right, wrong = _right_answer(exercise), _wrong_answer(exercise)
    if not isinstance(wrong, set):  # a set compares its sizes first
        assert claim(wrong) == right  # what it claims
    assert hidden(exercise, claim(wrong), capsys) == hidden(exercise, wrong, capsys)
    assert hidden(exercise, claim(right), capsys)[0] == _spec(exercise)["points"]


def _zero_answer(exercise: str):
    """An answer in the right shape that earns nothing by the quiz's rules."""
    spec = _spec(exercise)
    if "wrong" in spec:  # single choice: a wrong letter
        return sorted(spec["wrong"])[0]
    if "true" in spec:  # select all: every option, which net-correct gives 0
        return set(spec["true"]) | set(spec["false"])
    if "rules" in spec:  # ordering: backwards
        return spec["key"][::-1]
    key = spec["key"]  # dict answers: a wrong value for every key
    return {k: next(v for v in _vocabulary(exercise) if v != key[k]) for k in key}


def _right_answer(exercise: str):
    spec = _spec(exercise)
    return spec.get("key", set(spec.get("true", ())))


# What the learner's first answer cell binds each rebound name to: format checks that
# pass anything, scoring that gives full marks, and builtins an inline scoring might
# call by name, shadowed (and swapped in the cells' ``__builtins__`` too, which the
# grader's reset of the builtins module does not restore).
FAKES = {
    "_scored": "lambda name, earned, points, notes: points * 1.0",
    "net_correct": "lambda selected, true: 1.0",
    "str": "Anything",
    "round": "lambda number, ndigits=None: 4.0",
    "max": "lambda *args, **kwargs: 99",
}


def _rebinding() -> str:
    """Source that rebinds every name of the setup cell and every helper the hidden tests
    used to call, to what would give full marks."""
    lines = [
        CLAIMING,
        "def full_marks(*args, points=4, **kwargs):",
        "    return points * 1.0",
        "",
        "",
        "def passes(*args, **kwargs):",
        "    return None",
        "",
        "",
    ]
    for name in sorted(_defined(_source("setup")) | OLD_HELPERS):
        fake = "passes" if name.startswith("check_") else "full_marks"
        lines.append(f"{name} = {FAKES.get(name, fake)}")
    lines += [f"{name} = {FAKES[name]}" for name in ("str", "round", "max")]
    lines += [
        "import builtins as real_builtins",
        "",
        '__builtins__ = {**vars(real_builtins), "str": str, "round": round, "max": max}',
    ]
    return "\n".join(lines) + "\n"


def _submission(answer_for) -> dict:
    """The blank release, each answer cell given ``answer_for(exercise)`` (its strings
    claiming to equal anything), the first one after the rebinding."""
    nb = nbformat.read(ROOT / "labs" / "quiz" / "quiz.ipynb", as_version=4)
    first = True
    for cell in nb.cells:
        exercise = cell.metadata.get("nbgrader", {}).get("grade_id")
        if exercise in AUTOGRADED:
            answer = f"{_answer_name(exercise)} = claim({answer_for(exercise)!r})\n"
            cell.source = (_rebinding() if first else "") + answer
            first = False
    assert not first
    return {"quiz.ipynb": nb}


def test_rebinding_the_notebooks_names_earns_nothing_and_costs_nothing(tmp_path):
    """Graded by nbgrader as the class is: a learner whose first answer rebinds every name
    the checks once looked up, and every answer of whom claims to equal the key, earns
    0 everywhere when the answers are wrong, and full marks when they are right."""
    from autograder.nbgrader_run import ScratchCourse

    course = ScratchCourse(tmp_path, "quiz")
    course.submit("rebinds-wrong", _submission(_zero_answer))
    course.submit("rebinds-right", _submission(_right_answer))
    wrong, right = course.autograde("rebinds-wrong"), course.autograde("rebinds-right")
    checks = {f"test-{exercise}" for exercise in AUTOGRADED}
    assert {g: wrong[g].auto_score for g in checks} == dict.fromkeys(checks, 0.0)
    assert {g: right[g].auto_score for g in checks} == {g: right[g].max_score for g in checks}
    # the wrong answers earn 0 by the rules, with their feedback, not by a check crashing
    graded = course.root / "_grading" / "autograded" / "rebinds-wrong" / "quiz" / "quiz.ipynb"
    cells = {
        c.metadata["nbgrader"]["grade_id"]: c.outputs
        for c in nbformat.read(graded, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") in checks
    }
    assert not [g for g, outputs in cells.items() if any(o.output_type == "error" for o in outputs)]
    printed = {g: "".join(o.get("text", "") for o in outputs) for g, outputs in cells.items()}
    assert all(re.search(r"is wrong|must come before", printed[g]) for g in checks), printed
