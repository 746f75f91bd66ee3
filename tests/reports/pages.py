"""Reading a public page as a reader sees it: its text, its tables and its lists of figures.

A small tree built with the standard library's HTMLParser (no third-party parser needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Nodes and strings

    @property
    def text(self) -> str:
        """The visible text, whitespace collapsed."""
        parts = [child.text if isinstance(child, Node) else child for child in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def find_all(self, tag: str | None = None, **attrs) -> list[Node]:
        """Descendants with the tag and attributes (`class_` matches one class)."""
        found = []
        for child in self.children:
            if not isinstance(child, Node):
                continue
            if _matches(child, tag, attrs):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str | None = None, **attrs) -> Node:
        found = self.find_all(tag, **attrs)
        if not found:
            raise AssertionError(f"No <{tag or '*'}> with {attrs} on the page.")
        return found[0]


def _matches(node: Node, tag: str | None, attrs: dict) -> bool:
    if tag and node.tag != tag:
        return False
    for name, value in attrs.items():
        if name == "class_":
            if value not in node.classes:
                return False
        elif node.attrs.get(name) != value:
            return False
    return True


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def page(response) -> Node:
    """The response's HTML as a tree."""
    builder = _Builder()
    builder.feed(response.content.decode())
    return builder.root


def main_text(response) -> str:
    return page(response).find("main").text


def rows(table: Node) -> list[list[str]]:
    """The body rows of a table, as the text of each cell (th and td)."""
    body = [row for tbody in table.find_all("tbody") for row in tbody.find_all("tr")]
    return [[cell.text for cell in row.children if isinstance(cell, Node)] for row in body]


def section(response, title_id: str) -> Node:
    """The <section> labelled by the heading with this id."""
    return page(response).find("section", **{"aria-labelledby": title_id})


def definitions(node: Node) -> dict[str, str]:
    """The label -> value pairs of the <dl>s in the node (each pair wrapped in a <div>)."""
    lists = [node] if node.tag == "dl" else node.find_all("dl")
    return {
        group.find("dt").text: " ".join(dd.text for dd in group.find_all("dd"))
        for dl in lists
        for group in dl.find_all("div")
    }
