"""Outcome expressions: a small, safe language over summarised metrics of a sweep's runs.

An outcome is a condition evaluated for every run, for example::

    loyalty_private[province:South Hamgyong]@last - baseline < 0
    display_gap[age:16-30]@mean(52..103) > 0.1 and hidden_dissent@last >= 0.2

A metric reference is ``METRIC``, optionally ``[GROUP]`` (default ``all``) and ``@AT``:
``last`` (default), ``first``, a step number, or ``mean``, ``sum``, ``min``, ``max`` over all
steps or over ``(A..B)`` steps inclusive. ``baseline(REF)`` is the same reference in the
paired run of a baseline sweep; a bare ``baseline`` stands for the baseline of the only
reference in the expression. Numbers, ``+ - * /``, comparisons, ``and or not`` and
``abs(...)`` combine them.

References are replaced by placeholders and the rest is parsed with Python's ``ast`` and
checked node by node against this grammar: nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

AGGREGATES = ("mean", "sum", "min", "max")
KEYWORDS = {"and", "or", "not", "abs", "baseline"}
_REF = re.compile(
    r"(?P<metric>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:\s*\[(?P<group>[^\]\[]+)\])?"
    r"(?:\s*@\s*(?P<at>[A-Za-z]+|-?\d+)(?:\s*\(\s*(?P<lo>\d+)\s*\.\.\s*(?P<hi>\d+)\s*\))?)?"
)
_HELP = (
    "allowed: metric references METRIC[GROUP]@AT (AT: last, first, a step, mean, sum, min, "
    "max, or mean(A..B)), numbers, + - * /, comparisons, and/or/not, abs(...), baseline"
)


class OutcomeError(ValueError):
    """An outcome expression that does not parse or names what the sweep does not hold."""


@dataclass(frozen=True)
class MetricRef:
    """One summarised metric: a number per run."""

    metric: str
    group: str = "all"
    at: str = "last"  # last, first, step, mean, sum, min, max
    step: int | None = None  # for at == "step"
    first: int | None = None  # window of an aggregate
    last: int | None = None

    def text(self) -> str:
        at = str(self.step) if self.at == "step" else self.at
        window = f"({self.first}..{self.last})" if self.first is not None else ""
        return f"{self.metric}[{self.group}]@{at}{window}"


@dataclass(frozen=True)
class Outcome:
    """A parsed outcome: its text, the references it reads, and its checked syntax tree."""

    text: str
    refs: tuple[MetricRef, ...]
    tree: ast.Expression
    uses_baseline: bool

    def evaluate(
        self, values: dict[MetricRef, np.ndarray], baseline: dict[MetricRef, np.ndarray]
    ) -> np.ndarray:
        """The condition per run (boolean array) from each reference's values per run."""
        result = _Evaluator(self, values, baseline).visit(self.tree.body)
        return np.asarray(result, dtype=bool)


def _ref(match: re.Match[str], where: str) -> MetricRef:
    group = (match.group("group") or "all").strip()
    at = match.group("at") or "last"
    lo, hi = match.group("lo"), match.group("hi")
    if at.lstrip("-").isdigit():
        if lo is not None:
            raise OutcomeError(f"{where}: a step ({at}) takes no (A..B) window")
        if int(at) < 0:
            raise OutcomeError(f"{where}: step {at} is negative")
        return MetricRef(match.group("metric"), group, "step", int(at))
    if at not in ("last", "first", *AGGREGATES):
        raise OutcomeError(f"{where}: @{at} is not a summary; {_HELP}")
    if lo is not None:
        if at not in AGGREGATES:
            raise OutcomeError(f"{where}: only mean, sum, min and max take an (A..B) window")
        if int(hi) < int(lo):
            raise OutcomeError(f"{where}: window ({lo}..{hi}) ends before it starts")
        return MetricRef(match.group("metric"), group, at, None, int(lo), int(hi))
    return MetricRef(match.group("metric"), group, at)


def parse_outcome(text: str) -> Outcome:
    """Parse and check an outcome expression; OutcomeError names what is wrong."""
    if any(q in text for q in "'\"`"):
        raise OutcomeError(f"--outcome {text!r}: quoted text is not allowed; {_HELP}")
    refs: list[MetricRef] = []
    pieces: list[str] = []
    pos = 0
    while pos < len(text):
        match = _REF.match(text, pos)
        if match is None or (
            match.group("metric") in KEYWORDS
            and match.group("group") is None
            and match.group("at") is None
        ):
            end = match.end() if match is not None else pos + 1
            pieces.append(text[pos:end])
            pos = end
            continue
        if pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "._"):
            pieces.append(text[pos : match.end()])  # inside a number like 1e5 or 0.5
            pos = match.end()
            continue
        ref = _ref(match, f"--outcome {match.group(0)!r}")
        if ref not in refs:
            refs.append(ref)
        pieces.append(f" __ref_{refs.index(ref)} ")
        pos = match.end()
    source = "".join(pieces)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise OutcomeError(f"--outcome {text!r} does not parse: {exc.msg}; {_HELP}") from exc
    uses_baseline = _check(tree.body, text, len(refs))
    if not isinstance(tree.body, ast.Compare | ast.BoolOp) and not (
        isinstance(tree.body, ast.UnaryOp) and isinstance(tree.body.op, ast.Not)
    ):
        raise OutcomeError(f"--outcome {text!r}: must be a condition, e.g. `{text.strip()} > 0`")
    if not refs:
        raise OutcomeError(f"--outcome {text!r}: names no metric")
    bare = any(isinstance(n, ast.Name) and n.id == "baseline" for n in ast.walk(tree))
    if bare and len(refs) != 1:
        raise OutcomeError(
            f"--outcome {text!r}: a bare `baseline` needs exactly one metric reference; "
            "write baseline(METRIC[GROUP]@AT) for each"
        )
    return Outcome(text, tuple(refs), tree, uses_baseline)


_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_COMPARE = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)


def _check(node: ast.AST, text: str, n_refs: int) -> bool:
    """Refuse every node outside the grammar; True when the baseline is used."""

    def bad(what: str) -> OutcomeError:
        return OutcomeError(f"--outcome {text!r}: {what} is not allowed; {_HELP}")

    uses = False
    if isinstance(node, ast.BoolOp):
        return any([_check(v, text, n_refs) for v in node.values])
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.Not | ast.USub | ast.UAdd):
            raise bad(type(node.op).__name__)
        return _check(node.operand, text, n_refs)
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, _BINARY):
            raise bad(f"operator {type(node.op).__name__}")
        return _check(node.left, text, n_refs) | _check(node.right, text, n_refs)
    if isinstance(node, ast.Compare):
        if not all(isinstance(op, _COMPARE) for op in node.ops):
            raise bad("this comparison")
        for part in (node.left, *node.comparators):
            uses |= _check(part, text, n_refs)
        return uses
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise bad(f"the constant {node.value!r}")
        return False
    if isinstance(node, ast.Name):
        if node.id == "baseline":
            return True
        if re.fullmatch(r"__ref_\d+", node.id) and int(node.id[6:]) < n_refs:
            return False
        raise bad(f"the name {node.id!r}")
    if isinstance(node, ast.Call):
        func = node.func.id if isinstance(node.func, ast.Name) else ""
        if func not in ("abs", "baseline") or node.keywords or len(node.args) != 1:
            raise bad("this call")
        if func == "baseline" and not (
            isinstance(node.args[0], ast.Name) and node.args[0].id.startswith("__ref_")
        ):
            raise bad("baseline of anything but one metric reference")
        return _check(node.args[0], text, n_refs) or func == "baseline"
    raise bad(type(node).__name__)


class _Evaluator:
    """Evaluates a checked tree on arrays of one value per run."""

    def __init__(
        self,
        outcome: Outcome,
        values: dict[MetricRef, np.ndarray],
        baseline: dict[MetricRef, np.ndarray],
    ) -> None:
        self.outcome = outcome
        self.values = values
        self.baseline = baseline

    def ref(self, name: str) -> MetricRef:
        return self.outcome.refs[int(name[6:])]

    def visit(self, node: ast.AST) -> np.ndarray:
        ops: dict[type, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
            ast.Add: np.add,
            ast.Sub: np.subtract,
            ast.Mult: np.multiply,
            ast.Div: np.divide,
            ast.Lt: np.less,
            ast.LtE: np.less_equal,
            ast.Gt: np.greater,
            ast.GtE: np.greater_equal,
            ast.Eq: np.equal,
            ast.NotEq: np.not_equal,
        }
        if isinstance(node, ast.BoolOp):
            parts = [self.visit(v).astype(bool) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            out = parts[0]
            for part in parts[1:]:
                out = combine(out, part)
            return out
        if isinstance(node, ast.UnaryOp):
            inner = self.visit(node.operand)
            if isinstance(node.op, ast.Not):
                return np.logical_not(inner.astype(bool))
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            with np.errstate(divide="ignore", invalid="ignore"):
                return ops[type(node.op)](self.visit(node.left), self.visit(node.right))
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            result: np.ndarray | None = None
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self.visit(comparator)
                step = ops[type(op)](left, right)
                result = step if result is None else np.logical_and(result, step)
                left = right
            assert result is not None
            return result
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)  # checked by _check
            return np.asarray(float(node.value))
        if isinstance(node, ast.Name):
            if node.id == "baseline":
                return self.baseline[self.outcome.refs[0]]
            return self.values[self.ref(node.id)]
        if isinstance(node, ast.Call):
            arg = node.args[0]
            if isinstance(node.func, ast.Name) and node.func.id == "baseline":
                assert isinstance(arg, ast.Name)
                return self.baseline[self.ref(arg.id)]
            return np.abs(self.visit(arg))
        raise OutcomeError(f"cannot evaluate {type(node).__name__}")  # refused by _check
