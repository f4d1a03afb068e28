"""The code model that Python extraction builds: what every detector reads."""

import pytest

from cpt.engine.config import Settings
from cpt.engine.languages import language_by_name

SOURCE = b'''import os, sys
from collections import defaultdict as dd
import xml.etree.ElementTree as ET


class Base:
    pass


class Config(Base, mixins.Loggable):
    """Settings of the application."""
    instance = None
    limit: int = 10

    def __init__(self, path, *args, retries=3, **kwargs):
        self.path = path
        self._cache = {}

    @staticmethod
    def load(name: str, default: int = 0):
        return Config(name)

    @classmethod
    def make(cls):
        cls.shared = cls("x")
        return cls.shared

    def _helper(self):
        if self.path:
            print(self.path)
        elif self._cache:
            os.remove(self.path)
        elif self.limit:
            pass
        else:
            for item in self._cache:
                while item:
                    item -= 1
        try:
            pass
        except (ValueError, KeyError) as error:
            raise
        except:
            pass

    def __repr__(self):
        return "Config()"


def top(a, b=[1], *, c=None):
    double = lambda q, r=2: q * r
    return double(a, b)


def nested():
    for x in range(3):
        if x:
            while x:
                with open("f") as handle:
                    try:
                        handle.read()
                    except OSError:
                        return None


print("module level")
'''


@pytest.fixture(scope="module")
def module(analyzer):
    spec = language_by_name("python")
    return analyzer.analyze(SOURCE, "sample.py", spec, Settings()).module


def function(module, name):
    return next(f for f in module.functions if f.qualified_name == name)


def test_imports(module):
    assert [item.module for item in module.imports] == [
        "os", "sys", "collections", "xml.etree.ElementTree"]


def test_classes_and_bases(module):
    assert [klass.name for klass in module.classes] == ["Base", "Config"]
    config = module.class_named("Config")
    assert config.bases == ["Base", "mixins.Loggable"]
    assert module.class_named("Base").bases == []
    assert [m.name for m in config.methods] == ["__init__", "load", "make", "_helper", "__repr__"]
    assert config.span.start[0] == 9 and config.name_span.start == (9, 6)


def test_fields_static_and_instance(module):
    fields = {f.name: (f.static, f.value_kind) for f in module.class_named("Config").fields}
    assert fields["instance"] == (True, "null")
    assert fields["limit"] == (True, "number")
    assert fields["path"] == (False, "name")
    assert fields["_cache"] == (False, "dict")
    assert fields["shared"] == (True, "call")  # cls.shared = ... is class-level


def test_methods_kinds_and_visibility(module):
    init = function(module, "Config.__init__")
    assert init.is_method and init.is_constructor and not init.is_static
    assert init.visibility == "public"
    assert function(module, "Config.load").is_static
    assert function(module, "Config.make").is_static  # classmethod: no instance
    helper = function(module, "Config._helper")
    assert helper.visibility == "private" and not helper.is_constructor
    assert function(module, "Config.__repr__").visibility == "public"  # dunder is not private
    assert not function(module, "top").is_method and function(module, "top").owner is None


def test_params_with_defaults(module):
    params = [(p.name, p.default_kind) for p in function(module, "Config.__init__").params]
    assert params == [("self", None), ("path", None), ("args", None), ("retries", "number"),
                      ("kwargs", None)]
    assert [(p.name, p.default_kind) for p in function(module, "Config.load").params] == [
        ("name", None), ("default", "number")]
    assert [(p.name, p.default_kind) for p in function(module, "top").params] == [
        ("a", None), ("b", "list"), ("c", "null")]
    lam = function(module, "<lambda>")
    assert [(p.name, p.default_kind) for p in lam.params] == [("q", None), ("r", "number")]


def test_calls_belong_to_the_innermost_function(module):
    assert [c.callee for c in function(module, "Config._helper").calls] == ["print", "os.remove"]
    assert [c.callee for c in function(module, "top").calls] == ["double"]
    assert [c.callee for c in module.calls] == ["print"]
    assert function(module, "Config.make").calls[0].name == "cls"


def test_nesting_depth_ignores_elif_chains(module):
    helper = function(module, "Config._helper")
    assert helper.max_nesting == 3  # if/else -> for -> while; elif does not nest
    deep = function(module, "nested")
    assert deep.max_nesting == 5  # for, if, while, with, try
    assert deep.deepest is not None and deep.deepest.start[0] > deep.span.start[0]
    assert function(module, "top").max_nesting == 0


def test_branches_and_statements(module):
    helper = function(module, "Config._helper")
    assert helper.branches >= 8  # if, 2 elif, for, while, try, 2 except
    assert helper.statements >= 8
    assert function(module, "Config.__init__").statements == 2
    assert function(module, "Config.load").statements == 1


def test_returns(module):
    assert [(r.kind, r.text) for r in function(module, "Config.load").returns] == [
        ("call", "Config(name)")]
    assert [(r.kind, r.text) for r in function(module, "Config.__repr__").returns] == [
        ("string", '"Config()"')]
    assert [r.kind for r in function(module, "nested").returns] == ["null"]


def test_handlers(module):
    handlers = function(module, "Config._helper").handlers
    assert [(h.types, h.body_is_silent, h.body_statements) for h in handlers] == [
        (["ValueError", "KeyError"], False, 1), ([], True, 1)]
    assert [h.types for h in function(module, "nested").handlers] == [["OSError"]]


def test_module_assignments_and_no_errors(module):
    assert not module.has_errors
    assert [a.target for a in module.assignments] == ["instance", "limit"]
    assert [a.target for a in function(module, "top").assignments] == ["double"]
    assert function(module, "top").assignments[0].value_kind == "lambda"


def test_fingerprints_are_filled_for_units_that_can_be_clones(module):
    from cpt.engine.fingerprint import MIN_FINGERPRINT_LINES

    long_enough = [f for f in module.functions if f.lines >= MIN_FINGERPRINT_LINES]
    assert long_enough and all(f.fingerprint and f.normalized for f in long_enough)
    assert all(not f.fingerprint for f in module.functions if f.lines < MIN_FINGERPRINT_LINES)
    assert all(k.fingerprint for k in module.classes)
