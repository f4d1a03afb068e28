"""Billing import job: hand-written accuracy example (markers are the truth)."""
# ruff: noqa  (accuracy data: its smells are on purpose)

import csv
import pickle
import threading

import requests
import yaml
from flask import Flask, request, send_file
from markupsafe import Markup

app = Flask(__name__)

# expect: global-mutable-state
imported_rows = 0
_engine = None
_engine_lock = threading.Lock()


# expect: duplicate-code
def read_invoices(path, delimiter=";"):
    global imported_rows
    invoices = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        for row in reader:
            if not row or row[0].startswith("#"):
                continue
            record = dict(zip(header, row))
            record["amount"] = float(record["amount"])
            invoices.append(record)
            imported_rows += 1
    return invoices


# expect: long-parameter-list
def make_invoice(customer, street, city, postcode, country, amount, currency):
    return {"customer": customer, "address": (street, city, postcode, country),
            "amount": amount, "currency": currency}


# expect: deep-nesting
def flag_disputes(invoices, disputes):
    flagged = []
    for invoice in invoices:
        if invoice["amount"] > 0:
            for dispute in disputes:
                if dispute["customer"] == invoice["customer"]:
                    if dispute["open"]:
                        if dispute["amount"] >= invoice["amount"]:
                            flagged.append(invoice)
    return flagged


def total(invoices):
    amount = sum(invoice["amount"] for invoice in invoices)
    return amount
    # expect: unreachable-code
    print("total computed")


def currency_of(invoice):
    # expect: commented-out-code
    # rate = rates.get(invoice["currency"], 1.0)
    # return invoice["amount"] * rate
    return invoice.get("currency", "EUR")


def engine():
    global _engine
    # expect: double-checked-locking
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = object()
    return _engine


def load_cached(blob):
    # expect: insecure-deserialization
    return pickle.loads(blob)


def load_settings(text):
    # ok: insecure-deserialization
    return yaml.safe_load(text)


def evaluate_rule(rule_text, invoice):
    # expect: code-injection
    return eval(rule_text, {"invoice": invoice})


def fetch_rates(url):
    # expect: tls-verification-disabled
    return requests.get(url, verify=False, timeout=10).json()


def fetch_rates_safely(url):
    # ok: tls-verification-disabled
    return requests.get(url, timeout=10).json()


@app.route("/invoices/download")
def download():
    name = request.args.get("file")
    # expect: path-traversal
    return send_file("/srv/invoices/" + name)


@app.route("/invoices/note")
def note():
    text = request.args.get("text", "")
    # expect: xss-sink
    return Markup("<p>" + text + "</p>")


@app.route("/invoices/title")
def title():
    # ok: xss-sink
    return Markup("<h1>Invoices</h1>")
