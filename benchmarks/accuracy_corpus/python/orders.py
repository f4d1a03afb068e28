"""Order handling of a small shop: hand-written accuracy example (markers are the truth)."""
# ruff: noqa  (accuracy data: its smells are on purpose)

import logging
import sqlite3
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
# expect: dto
class OrderLine:
    sku: str
    quantity: int
    unit_price: float


@dataclass
# expect: dto
class Order:
    order_id: str
    customer_email: str
    lines: list[OrderLine] = field(default_factory=list)


class PricingPolicy(ABC):
    @abstractmethod
    def total(self, order: Order) -> float: ...


class RegularPricing(PricingPolicy):
    def total(self, order: Order) -> float:
        return sum(line.quantity * line.unit_price for line in order.lines)


class BulkPricing(PricingPolicy):
    def total(self, order: Order) -> float:
        amount = sum(line.quantity * line.unit_price for line in order.lines)
        # expect: magic-number
        if amount > 250:
            # expect: magic-number
            return amount * 0.85
        return amount


# expect: repository
class InMemoryOrders:
    def __init__(self):
        self._orders: dict[str, Order] = {}

    def add(self, order: Order) -> None:
        self._orders[order.order_id] = order

    def get(self, order_id: str) -> Order | None:
        return self._orders.get(order_id)

    def remove(self, order_id: str) -> None:
        self._orders.pop(order_id, None)

    def all(self) -> list[Order]:
        return list(self._orders.values())


# expect: dependency-injection
class OrderReports:
    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def orders_of(self, email: str):
        cursor = self.connection.cursor()
        # expect: sql-injection
        cursor.execute(f"SELECT id, total FROM orders WHERE email = '{email}'")
        return cursor.fetchall()

    def orders_since(self, day: str):
        cursor = self.connection.cursor()
        # ok: sql-injection
        cursor.execute("SELECT id, total FROM orders WHERE created >= ?", (day,))
        return cursor.fetchall()

    def count_by_status(self, status):
        query = "SELECT count(*) FROM orders WHERE status = '%s'" % status
        # expect: sql-injection
        return self.connection.execute(query).fetchone()[0]


# expect: strategy, dependency-injection
class Checkout:
    def __init__(self, orders: InMemoryOrders, pricing: PricingPolicy):
        self.orders = orders
        self.pricing = pricing

    def use_pricing(self, pricing: PricingPolicy) -> None:
        self.pricing = pricing

    def place(self, order: Order) -> float:
        self.orders.add(order)
        return self.pricing.total(order)


# expect: flag-argument
def export_orders(orders, as_csv=False):
    if as_csv:
        return "\n".join(f"{o.order_id},{o.customer_email}" for o in orders)
    else:
        return [o.order_id for o in orders]


# ok: flag-argument
def print_orders(orders, verbose=False):
    for order in orders:
        if verbose:
            log.info("order %s for %s", order.order_id, order.customer_email)
        print(order.order_id)


# expect: mutable-default-argument
def tag_order(order, tags=[]):
    tags.append(order.order_id)
    return tags


# ok: mutable-default-argument
def tag_order_safely(order, tags=None):
    tags = list(tags or [])
    tags.append(order.order_id)
    return tags


def load_discounts(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return dict(line.strip().split("=", 1) for line in handle if "=" in line)
    # expect: broad-except
    except Exception:
        log.exception("discounts unreadable: %s", path)
        return {}


def parse_quantity(text):
    try:
        return int(text)
    # ok: broad-except, swallowed-exception
    except ValueError:
        log.warning("not a quantity: %r", text)
        return 0


def forget(cache, key):
    try:
        del cache[key]
    # expect: swallowed-exception
    except KeyError:
        pass


def refresh(report):
    try:
        report.refresh()
    # ok: broad-except
    except Exception:
        log.error("refresh failed")
        raise
