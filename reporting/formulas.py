"""Computed fields: formulas over other fields, parsed with `ast`, never `eval`.

Allowed: numbers, field keys, + - * /, parentheses and unary minus. Anything else (calls,
attributes, powers, comparisons, names of things that are not fields) is refused when the
editor saves the template, with a message saying what is wrong.
"""

from __future__ import annotations

import ast
from decimal import (
    Decimal,
    DivisionByZero,
    InvalidOperation,
)

from django.utils.translation import gettext as _

MAX_FORMULA_LENGTH = 300


class FormulaError(ValueError):
    pass


_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def parse_formula(formula: str) -> ast.Expression:
    """Parse and check a formula; raise FormulaError with a message editors understand."""
    text = (formula or "").strip()
    if not text:
        raise FormulaError(_("The formula is empty."))
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(_("The formula is too long."))
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FormulaError(
            _("The formula is not valid: check the brackets and operators near “%(text)s”.")
            % {"text": (error.text or text).strip()}
        ) from error
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load):
            continue
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BINOPS):
                raise FormulaError(_("Only + - * / and brackets are allowed in a formula."))
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise FormulaError(_("Only + - * / and brackets are allowed in a formula."))
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise FormulaError(_("Only numbers and field keys may appear in a formula."))
        elif isinstance(node, ast.Name):
            continue
        elif isinstance(node, (*_BINOPS, ast.USub, ast.UAdd)):
            continue
        else:
            raise FormulaError(_("Only numbers and field keys may appear in a formula."))
    return tree


def formula_names(formula: str) -> set[str]:
    return {n.id for n in ast.walk(parse_formula(formula)) if isinstance(n, ast.Name)}


def check_formula(formula: str, *, key: str, known: set[str], computed: dict[str, str]) -> None:
    """Authoring-time check of one field's formula against the template's other fields.

    `known` are the keys of numeric fields; `computed` maps computed keys to their formulas
    (to refuse cycles).
    """
    names = formula_names(formula)
    unknown = sorted(names - known)
    if unknown:
        raise FormulaError(
            _("Unknown field in the formula: %(names)s. Use the keys of number fields.")
            % {"names": ", ".join(unknown)}
        )
    # Cycles: follow computed fields from this one.
    seen, stack = set(), list(names)
    while stack:
        name = stack.pop()
        if name == key:
            raise FormulaError(_("The formula refers to its own field (directly or not)."))
        if name in seen or name not in computed:
            continue
        seen.add(name)
        stack.extend(formula_names(computed[name]))


def evaluate(formula: str, values: dict[str, Decimal | None]) -> Decimal | None:
    """The formula's value, or None when an input is missing or it divides by zero."""
    tree = parse_formula(formula)

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            value = values.get(node.id)
            if value is None:
                raise LookupError(node.id)
            return Decimal(value)
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        left, right = walk(node.left), walk(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right

    try:
        return walk(tree)
    except (LookupError, ZeroDivisionError, DivisionByZero, InvalidOperation):
        return None


def evaluate_all(definitions: list[dict], values: dict[str, Decimal | None]) -> dict:
    """Fill in every computed field, in dependency order (formulas may use computed fields)."""
    values = dict(values)
    pending = [d for d in definitions if d.get("formula")]
    for _round in range(len(pending) + 1):
        if not pending:
            break
        rest = []
        for d in pending:
            needs = formula_names(d["formula"])
            if any(n in {p["key"] for p in pending} for n in needs):
                rest.append(d)
                continue
            result = evaluate(d["formula"], values)
            values[d["key"]] = None if result is None else result.quantize(Decimal("0.0001"))
        pending = rest
    return values
