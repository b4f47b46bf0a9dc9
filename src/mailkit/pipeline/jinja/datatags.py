"""`{% ifdata %}` and `{% fordata %}`: an if or a for whose test or sequence is person or
event data, so that the Klaviyo export can keep the decision for send time.

In the preview they compile to Jinja's own `If` and `For` nodes: the output is the same,
byte for byte, as `{% if %}` and `{% for %}`. In an export (an environment whose
`dialect` attribute holds the platform's `Dialect`, see pipeline/dialect.py), the body is
rendered once, with the platform's tags around it; for Klaviyo:

    {% ifdata not has_app %}A{% else %}B{% endifdata %}
        → {% if not person|lookup:'Has R-PUR App' %}A{% else %}B{% endif %}
    {% fordata item in order.line_items %}…{{ item.title }}…{% endfordata %}
        → {% for item in event.extra.line_items %}…{{ item.title }}…{% endfor %}

with the loop variable bound to a Klaviyo variable of the same name. The test is
translated from Jinja's syntax tree, since `not`, `and` and `==` cannot be overloaded on a
value: Klaviyo's (Django's) `if` has no parentheses, so a test that would need them is
refused at parse time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

if TYPE_CHECKING:
    from ..dialect import Dialect

COMPARISONS = {"eq": "==", "ne": "!=", "lt": "<", "lteq": "<=", "gt": ">", "gteq": ">=",
               "in": "in", "notin": "not in"}


class DataTags(Extension):
    tags = {"ifdata", "fordata"}

    @property
    def _dialect(self) -> Dialect | None:
        return getattr(self.environment, "dialect", None)

    def parse(self, parser: Parser) -> nodes.Node | list[nodes.Node]:
        token = next(parser.stream)
        if token.value == "ifdata":
            return self._parse_if(parser, token.lineno)
        return self._parse_for(parser, token.lineno)

    def _parse_if(self, parser: Parser, lineno: int) -> nodes.Node | list[nodes.Node]:
        test = parser.parse_tuple(with_condexpr=False)
        body = parser.parse_statements(("name:else", "name:endifdata"))
        else_: list[nodes.Node] = []
        if next(parser.stream).test("name:else"):
            else_ = parser.parse_statements(("name:endifdata",), drop_needle=True)
        if self._dialect is None:
            return nodes.If(test, body, [], else_, lineno=lineno)
        condition = self._condition(test, parser)
        out = [self._tag(self.call_method("_open", [nodes.Const("if"), condition]), lineno),
               *body]
        if else_:
            out += [self._tag(nodes.Const("{% else %}"), lineno), *else_]
        return [*out, self._tag(nodes.Const("{% endif %}"), lineno)]

    def _parse_for(self, parser: Parser, lineno: int) -> nodes.Node | list[nodes.Node]:
        target = parser.parse_assign_target(extra_end_rules=("name:in",))
        parser.stream.expect("name:in")
        seq = parser.parse_tuple(with_condexpr=False)
        body = parser.parse_statements(("name:endfordata",), drop_needle=True)
        if self._dialect is None:
            return nodes.For(target, seq, body, [], None, False, lineno=lineno)
        if not isinstance(target, nodes.Name):
            parser.fail("fordata takes one loop variable", lineno)
        name = nodes.Const(target.name)
        open_ = self.call_method("_open_for", [name, seq])
        bound = nodes.With([nodes.Name(target.name, "store")],
                           [self.call_method("_loop_var", [name, seq])], body, lineno=lineno)
        return [self._tag(open_, lineno), bound, self._tag(nodes.Const("{% endfor %}"), lineno)]

    def _tag(self, text: nodes.Expr, lineno: int) -> nodes.Output:
        return nodes.Output([self.call_method("_block", [text])], lineno=lineno)

    def _condition(self, node: nodes.Expr, parser: Parser) -> nodes.Expr:
        """The test as a call tree that builds Klaviyo's text at render time."""
        def needs_parentheses(child: nodes.Expr, *kinds: type) -> None:
            if isinstance(child, kinds):
                parser.fail("Klaviyo's {% if %} has no parentheses: write this test "
                            "without them (not > and > or)", node.lineno)

        if isinstance(node, nodes.Not):
            needs_parentheses(node.node, nodes.And, nodes.Or)
            return self.call_method("_join", [nodes.Const("not"),
                                              self._condition(node.node, parser)])
        if isinstance(node, nodes.And | nodes.Or):
            word = "and" if isinstance(node, nodes.And) else "or"
            if isinstance(node, nodes.And):
                needs_parentheses(node.left, nodes.Or)
                needs_parentheses(node.right, nodes.Or)
            return self.call_method("_join", [self._condition(node.left, parser),
                                              nodes.Const(word),
                                              self._condition(node.right, parser)])
        if isinstance(node, nodes.Compare) and len(node.ops) == 1 \
                and node.ops[0].op in COMPARISONS:
            return self.call_method("_join", [
                self.call_method("_operand", [node.expr]),
                nodes.Const(COMPARISONS[node.ops[0].op]),
                self.call_method("_operand", [node.ops[0].expr])])
        if isinstance(node, nodes.Compare):
            parser.fail("ifdata compares two values at a time", node.lineno)
        return self.call_method("_operand", [node])

    # Called at render time (export mode only).
    def _operand(self, value: Any) -> str:
        assert self._dialect is not None
        return self._dialect.operand(value)

    def _join(self, *parts: str) -> str:
        return " ".join(parts)

    def _open(self, keyword: str, condition: str) -> str:
        return f"{{% {keyword} {condition} %}}"

    def _open_for(self, name: str, seq: Any) -> str:
        assert self._dialect is not None
        return self._dialect.open_for(name, seq)

    def _loop_var(self, name: str, seq: Any) -> Any:
        assert self._dialect is not None  # an item of `seq`: it knows its contract node
        return self._dialect.loop_var(name, seq)

    def _block(self, text: str) -> Markup:
        assert self._dialect is not None
        return self._dialect.block(text)
