"""Every audit action code in use has a registered label in English and in Chinese (apps/audit/registry.py).

"In use" is read from the source: each `audit_record(action=...)` call anywhere in apps/ is found and its action
resolved to the code(s) it can pass: a string, a constant (`acts.ASSET_CREATED`, `account_acts.LOGOUT`, also one
imported inside the function), either branch of a conditional, a local variable's assignments, or a parameter's
arguments at its callers in the same module. A call whose action cannot be resolved fails too: write the code as a
registered constant.
"""

from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from apps.audit import registry

APPS = Path(__file__).resolve().parents[2] / "apps"
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Use:
    where: str
    codes: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(APPS.parent).with_suffix("").parts)


class _Resolver:
    def __init__(self, path: Path, tree: ast.Module):
        self.path = path
        self.tree = tree
        self._module: Any = None
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(node.name, node)

    def module(self) -> Any:
        if self._module is None:
            self._module = importlib.import_module(_module_name(self.path))
        return self._module

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def resolve(self, expr: ast.expr, depth: int = 0) -> set[str] | None:
        if depth > 5:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            body, orelse = self.resolve(expr.body, depth + 1), self.resolve(expr.orelse, depth + 1)
            return None if body is None or orelse is None else body | orelse
        if isinstance(expr, ast.Name):
            function = self.enclosing_function(expr)
            if function is not None:
                local = self._local(function, expr.id, depth)
                if local is not None:
                    return local
        if isinstance(expr, ast.Name | ast.Attribute):
            try:
                value = eval(compile(ast.Expression(expr), str(self.path), "eval"), vars(self.module()))  # noqa: S307
            except Exception:  # not a module-level constant: unresolvable
                return None
            return {str(value)} if isinstance(value, str) else None
        return None

    def _local(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, depth: int) -> set[str] | None:
        for node in ast.walk(function):  # a constant imported inside the function
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        value = getattr(importlib.import_module(node.module), alias.name, None)
                        return {value} if isinstance(value, str) else None
        assigned = [node.value for node in ast.walk(function) if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)]
        if assigned:
            codes: set[str] = set()
            for value in assigned:
                found = self.resolve(value, depth + 1)
                if found is None:
                    return None
                codes |= found
            return codes
        parameters = [a.arg for a in (*function.args.args, *function.args.kwonlyargs)]
        if name not in parameters:
            return None
        codes = set()
        callers = 0
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and _called_name(node) == function.name:
                for keyword in node.keywords:
                    if keyword.arg == name:
                        found = self.resolve(keyword.value, depth + 1)
                        if found is None:
                            return None
                        codes |= found
                        callers += 1
        return codes if callers else None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


# apps/core/moderation.py records the action each moderated subject declares in a `moderation.Step(refusal, audit,
# kind)`: those declarations are the uses, resolved like any action; the one call that records them is not.
STEP_ACTION = ("apps/core/moderation.py", "step.audit")


def _action_expr(node: ast.Call) -> ast.expr | None:
    """The action of an `audit_record(action=...)` call, or the audit action a `Step(...)` declares."""
    if _called_name(node) == "Step":
        return node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "audit"), None)
    return next((k.value for k in node.keywords if k.arg == "action"), None)


def audit_actions_in_use() -> list[Use]:
    uses = []
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if "audit_record(" not in source and "Step(" not in source:
            continue
        tree = ast.parse(source)
        resolver = _Resolver(path, tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called_name(node) in ("audit_record", "Step")):
                continue
            where = f"{path.relative_to(APPS.parent)}:{node.lineno}"
            use = Use(where=where)
            expr = _action_expr(node)
            if expr is not None and (str(path.relative_to(APPS.parent)), ast.unparse(expr)) == STEP_ACTION:
                continue
            codes = resolver.resolve(expr) if expr is not None else None
            if codes is None:
                use.unresolved.append(ast.unparse(expr) if expr is not None else "(no action=)")
            else:
                use.codes = codes
            uses.append(use)
    return uses


USES = audit_actions_in_use()


def test_the_source_scan_finds_the_known_emitters():
    # The scan itself must work: these calls exist today, so finding none would mean the test checks nothing.
    codes = {code for use in USES for code in use.codes}
    assert {"company.verified", "company.rejected", "agreement.executed", "agreement.amendment_executed",
            "dataroom.document_downloaded", "dataroom.document_viewed", "catalog.asset_published",
            "audit.log_exported", "console.totp_enrolled", "auth.login_succeeded"} <= codes
    assert len(USES) > 60


def test_every_audit_record_call_names_a_resolvable_code():
    unresolved = [f"{use.where}: action={expr}" for use in USES for expr in use.unresolved]
    assert not unresolved, ("these audit_record calls pass an action the registry test cannot resolve; "
                            "pass a constant from apps/<app>/audit_actions.py:\n" + "\n".join(unresolved))


def test_every_code_in_use_is_registered():
    missing = sorted({f"{code}  ({use.where})" for use in USES for code in use.codes
                      if not registry.is_registered(code)})
    assert not missing, ("audit action codes emitted but not registered; add them with their labels to "
                         "apps/<app>/audit_actions.py (docs/conventions.md, 'Audit action codes'):\n"
                         + "\n".join(missing))


@pytest.mark.parametrize("code", sorted(registry.all_actions()))
def test_every_registered_code_follows_the_naming_style_and_has_english_and_chinese_labels(code):
    entry = registry.all_actions()[code]
    assert registry.CODE_PATTERN.match(code)
    with translation.override("en"):
        english = str(entry.label)
    with translation.override("zh-hans"):
        chinese = str(entry.label)
    assert english.strip() and english != code, f"{code}: no English label"
    assert chinese != english and CJK.search(chinese), (
        f"{code}: label {english!r} has no Chinese; add it to {entry.module.rsplit('.', 1)[0]}"
        "/locale/zh_Hans/LC_MESSAGES/django.po and run `make messages`")


def test_a_code_breaking_the_naming_style_is_refused():
    with pytest.raises(registry.RegistryError):
        registry.action("Catalog.AssetPublished", translation.gettext_lazy("x"))
    with pytest.raises(registry.RegistryError):
        registry.action("catalog.asset_reviewed", "a plain string follows no reader")  # type: ignore[arg-type]
    assert not registry.is_registered("catalog.asset_reviewed")


def test_unknown_codes_show_as_themselves_and_known_ones_in_the_readers_language():
    assert registry.label_for("retired.code_from_2025") == "retired.code_from_2025"
    with translation.override("zh-hans"):
        assert registry.label_for("company.verified") == "公司已认证"
    with translation.override("en"):
        assert registry.label_for("dataroom.grant_revoked") == "Access grant revoked"
