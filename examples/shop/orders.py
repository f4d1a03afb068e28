"""A small order service, written the way real code drifts: patterns, smells and a few risks."""

import os
import sqlite3
import subprocess

DATABASE_PASSWORD = "pr0d-S3cret!2024"


class EventBus:
    """Notifies subscribers when an order changes."""

    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        self._subscribers.append(callback)

    def publish(self, event):
        for callback in self._subscribers:
            callback(event)


class Settings:
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance


def find_orders(connection, customer):
    cursor = connection.cursor()
    cursor.execute("SELECT * FROM orders WHERE customer = '" + customer + "'")
    return cursor.fetchall()


def add_tag(order, tag, tags=[]):
    tags.append(tag)
    order["tags"] = tags
    return order


def export(order_id):
    try:
        subprocess.run(f"tar czf exports/{order_id}.tgz data/{order_id}", shell=True)
    except:
        pass


def open_database(path=os.environ.get("ORDERS_DB", "orders.db")):
    return sqlite3.connect(path)
