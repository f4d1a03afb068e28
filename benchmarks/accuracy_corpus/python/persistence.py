"""Persistence and month-end jobs of a billing app: hand-written accuracy example."""
# ruff: noqa  (accuracy data: its smells are on purpose)

import sqlite3
from abc import ABC, abstractmethod


# expect: active-record
class Customer:
    db: sqlite3.Connection | None = None  # set once at start-up

    def __init__(self, customer_id, name, email):
        self.customer_id = customer_id
        self.name = name
        self.email = email

    def save(self):
        self.db.execute(
            "UPDATE customers SET name = ?, email = ? WHERE id = ?",
            (self.name, self.email, self.customer_id),
        )

    def delete(self):
        self.db.execute("DELETE FROM customers WHERE id = ?", (self.customer_id,))

    @classmethod
    def find(cls, customer_id):
        row = cls.db.execute(
            "SELECT id, name, email FROM customers WHERE id = ?", (customer_id,)
        ).fetchone()
        return cls(*row) if row else None


class Invoice:
    def __init__(self, invoice_id, customer_id, total):
        self.invoice_id = invoice_id
        self.customer_id = customer_id
        self.total = total


# expect: data-mapper
class InvoiceMapper:
    def __init__(self, connection):
        self.connection = connection

    def insert(self, invoice):
        self.connection.execute(
            "INSERT INTO invoices (id, customer_id, total) VALUES (?, ?, ?)",
            (invoice.invoice_id, invoice.customer_id, invoice.total),
        )

    def find(self, invoice_id):
        row = self.connection.execute(
            "SELECT id, customer_id, total FROM invoices WHERE id = ?", (invoice_id,)
        ).fetchone()
        return Invoice(row[0], row[1], row[2]) if row else None


# expect: service-locator
class Services:
    _factories = {}

    @classmethod
    def register(cls, name, factory):
        cls._factories[name] = factory

    @classmethod
    def get(cls, name):
        return cls._factories[name]()


class Mailer:
    def send(self, to, subject, attachment):
        return (to, subject, len(attachment))


class ReminderJob:
    def __init__(self):
        self.invoices = Services.get("invoices")
        self.mailer = Services.get("mailer")

    def remind(self, invoice_id, email):
        invoice = self.invoices.find(invoice_id)
        return self.mailer.send(email, f"Invoice {invoice.invoice_id} is due", b"")


class Renderer(ABC):
    @abstractmethod
    def heading(self, text): ...

    @abstractmethod
    def line(self, text): ...


class HtmlRenderer(Renderer):
    def heading(self, text):
        return f"<h1>{text}</h1>"

    def line(self, text):
        return f"<p>{text}</p>"


class PlainRenderer(Renderer):
    def heading(self, text):
        return text.upper()

    def line(self, text):
        return text


# expect: bridge
class Statement:
    def __init__(self, renderer: Renderer):
        self.renderer = renderer

    def render(self, invoices):
        return [self.renderer.heading("Statement")] + [
            self.renderer.line(f"{i.invoice_id}: {i.total}") for i in invoices
        ]


class OverdueStatement(Statement):
    def render(self, invoices):
        overdue = [i for i in invoices if i.total > 0]
        return [self.renderer.heading("Overdue")] + [
            self.renderer.line(str(i.invoice_id)) for i in overdue
        ]


class PdfWriter:
    def write(self, lines):
        return "\n".join(lines).encode()


class Archive:
    def __init__(self, folder):
        self.folder = folder

    def store(self, name, data):
        return f"{self.folder}/{name}.pdf", len(data)


# expect: facade
class MonthEnd:
    def __init__(self, connection):
        self.invoices = InvoiceMapper(connection)
        self.statement = Statement(PlainRenderer())
        self.writer = PdfWriter()
        self.archive = Archive("/srv/archive")

    def close(self, invoice_ids):
        invoices = [self.invoices.find(invoice_id) for invoice_id in invoice_ids]
        lines = self.statement.render(invoices)
        pdf = self.writer.write(lines)
        return self.archive.store("month-end", pdf)
