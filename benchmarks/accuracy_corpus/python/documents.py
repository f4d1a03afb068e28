"""A document model: hand-written accuracy example (markers are the truth)."""
# ruff: noqa  (accuracy data: its smells are on purpose)

import copy
from abc import ABC, abstractmethod


class Node(ABC):
    @abstractmethod
    def render(self) -> str: ...


class Text(Node):
    def __init__(self, text):
        self.text = text

    def render(self):
        return self.text


# expect: composite
class Section(Node):
    def __init__(self, title):
        self.title = title
        self.children = []

    def add(self, child):
        self.children.append(child)

    def render(self):
        return self.title + "\n" + "\n".join(child.render() for child in self.children)


# expect: decorator
class Bold(Node):
    def __init__(self, inner: Node):
        self.inner = inner

    def render(self):
        return "**" + self.inner.render() + "**"


# expect: proxy
class LazyImage(Node):
    def __init__(self, path):
        self.path = path
        self._image = None

    def render(self):
        if self._image is None:
            self._image = Image(self.path)
        return self._image.render()


class Image(Node):
    def __init__(self, path):
        self.path = path

    def render(self):
        return f"![]({self.path})"


class LegacyHtml:
    def to_html_string(self, markup):
        return f"<div>{markup}</div>"


# expect: adapter
class HtmlNode(Node):
    def __init__(self, markup):
        self.legacy = LegacyHtml()
        self.markup = markup

    def render(self):
        return self.legacy.to_html_string(self.markup)


# expect: template-method
class Exporter(ABC):
    def export(self, document):
        header = self.header(document)
        body = self.body(document)
        return header + body + self.footer()

    @abstractmethod
    def header(self, document): ...

    @abstractmethod
    def body(self, document): ...

    def footer(self):
        return ""


class MarkdownExporter(Exporter):
    def header(self, document):
        return f"# {document.title}\n"

    def body(self, document):
        return document.render()


# expect: prototype
class PageStyle:
    def __init__(self, font, margins):
        self.font = font
        self.margins = margins

    def clone(self):
        return copy.deepcopy(self)


class Snapshot:
    def __init__(self, text, cursor):
        self.text = text
        self.cursor = cursor


# expect: memento
class Editor:
    def __init__(self):
        self.text = ""
        self.cursor = 0

    def type(self, words):
        self.text += words
        self.cursor = len(self.text)

    def save(self):
        return Snapshot(self.text, self.cursor)

    def restore(self, snapshot):
        self.text = snapshot.text
        self.cursor = snapshot.cursor


# expect: iterator
class Words:
    def __init__(self, text):
        self._words = text.split()
        self._index = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._index >= len(self._words):
            raise StopIteration
        word = self._words[self._index]
        self._index += 1
        return word


class SpellChecker(ABC):
    @abstractmethod
    def check(self, word) -> bool: ...

    @abstractmethod
    def suggestions(self, word) -> list: ...


class DictionaryChecker(SpellChecker):
    def __init__(self, words):
        self.words = set(words)

    def check(self, word):
        return word in self.words

    def suggestions(self, word):
        return sorted(w for w in self.words if w.startswith(word[:2]))


# expect: null-object
class NoSpellChecker(SpellChecker):
    def check(self, word):
        return True

    def suggestions(self, word):
        return []
