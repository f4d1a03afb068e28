"""Notification service: hand-written accuracy example (markers are the truth)."""
# ruff: noqa  (accuracy data: its smells are on purpose)

import asyncio
import hashlib
import os
import random
import secrets
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

# expect: hardcoded-secret
SMTP_PASSWORD = "Wint3r-is-c0ming-42"
# ok: hardcoded-secret
SMTP_USER = "notifier@example.com"
# ok: hardcoded-secret
API_TOKEN = os.environ.get("NOTIFY_API_TOKEN", "")


class Channel:
    def send(self, recipient, text):
        raise NotImplementedError


class EmailChannel(Channel):
    def send(self, recipient, text):
        return f"mail to {recipient}: {text}"


class SmsChannel(Channel):
    def send(self, recipient, text):
        return f"sms to {recipient}: {text[:140]}"


class PushChannel(Channel):
    def send(self, recipient, text):
        return f"push to {recipient}: {text}"


# expect: factory-method
def channel_for(kind):
    if kind == "email":
        return EmailChannel()
    if kind == "sms":
        return SmsChannel()
    return PushChannel()


# expect: observer
class DeliveryEvents:
    def __init__(self):
        self._listeners = []

    def subscribe(self, listener):
        self._listeners.append(listener)

    def delivered(self, recipient):
        for listener in self._listeners:
            listener(recipient)


# expect: singleton
class TemplateStore:
    _instance = None
    _lock = threading.Lock()

    def __init__(self):
        self.templates = {"welcome": "Hello {name}!"}

    @classmethod
    def instance(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


class Message:
    def __init__(self, recipient, subject, body, priority):
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.priority = priority


# expect: builder
class MessageBuilder:
    def __init__(self):
        self._recipient = None
        self._subject = ""
        self._body = ""
        self._priority = "normal"

    def to(self, recipient):
        self._recipient = recipient
        return self

    def subject(self, subject):
        self._subject = subject
        return self

    def body(self, body):
        self._body = body
        return self

    def urgent(self):
        self._priority = "high"
        return self

    def build(self):
        return Message(self._recipient, self._subject, self._body, self._priority)


class Mailer:
    def __init__(self, host):
        self.host = host
        self._connection = None

    # expect: lazy-initialization
    def connection(self):
        if self._connection is None:
            self._connection = {"host": self.host, "open": True}
        return self._connection


def unsubscribe_token(email):
    # expect: weak-hash
    return hashlib.md5(email.encode()).hexdigest()


def attachment_etag(payload):
    # ok: weak-hash
    etag = hashlib.md5(payload).hexdigest()
    return f'"{etag}"'


def password_reset_code():
    # expect: insecure-random
    code = random.randint(100000, 999999)
    return str(code)


def retry_delay(attempt):
    # ok: insecure-random
    return attempt * random.uniform(0.5, 1.5)


def session_token():
    # ok: insecure-random
    return secrets.token_urlsafe(32)


def archive_outbox(folder):
    # expect: command-injection
    os.system("tar czf /tmp/outbox.tgz " + folder)


def archive_outbox_safely(folder):
    # ok: command-injection
    subprocess.run(["tar", "czf", "/tmp/outbox.tgz", folder], check=True)


# expect: async-await
async def deliver_all(channel, recipients, text):
    results = []
    for recipient in recipients:
        await asyncio.sleep(0)
        results.append(channel.send(recipient, text))
    return results


# ok: async-await
async def noop_hook(event):
    return event


def deliver_in_parallel(channel, recipients, text):
    # expect: thread-pool
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda r: channel.send(r, text), recipients))


# expect: async-await
async def pump(recipients, channel):
    # expect: producer-consumer
    outbox = asyncio.Queue()

    # expect: async-await
    async def produce():
        for recipient in recipients:
            await outbox.put(recipient)
        await outbox.put(None)

    # expect: async-await
    async def consume():
        while (recipient := await outbox.get()) is not None:
            channel.send(recipient, "hi")

    await asyncio.gather(produce(), consume())
