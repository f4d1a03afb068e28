// HTTP API of a small wiki: hand-written accuracy example (markers are the truth).
const express = require("express");
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const https = require("https");
const { exec, execFile } = require("child_process");
const yaml = require("js-yaml");
const { Pool } = require("pg");

const app = express();
const db = new Pool();
// expect: hardcoded-secret
const sessionSecret = "kq9-Fz2!mW7pLx4#tB8v";
// ok: hardcoded-secret
const adminPassword = process.env.ADMIN_PASSWORD;

// expect: async-await
app.get("/pages/:slug", async (req, res) => {
  // expect: sql-injection
  const result = await db.query("SELECT body FROM pages WHERE slug = '" + req.params.slug + "'");
  res.json(result.rows);
});

// expect: async-await
app.get("/pages", async (req, res) => {
  // ok: sql-injection
  const result = await db.query("SELECT slug FROM pages WHERE author = $1", [req.query.author]);
  res.json(result.rows);
});

app.get("/attachments", (req, res) => {
  // expect: path-traversal
  fs.readFile(path.join("/srv/wiki/files", req.query.name), (err, data) => {
    if (err) return res.status(404).end();
    res.send(data);
  });
});

app.get("/attachments/safe", (req, res) => {
  // ok: path-traversal
  res.sendFile(path.basename(req.query.name), { root: "/srv/wiki/files" });
});

app.post("/export", (req, res) => {
  // expect: command-injection
  exec(`pandoc -o /tmp/out.pdf ${req.body.page}.md`, (err) => res.json({ ok: !err }));
});

app.post("/export/safe", (req, res) => {
  // ok: command-injection
  execFile("pandoc", ["-o", "/tmp/out.pdf", `${req.body.page}.md`], (err) => res.json({ ok: !err }));
});

app.post("/formula", (req, res) => {
  // expect: code-injection
  const value = eval(req.body.formula);
  res.json({ value });
});

app.post("/import", (req, res) => {
  // expect: insecure-deserialization
  const page = yaml.load(req.body.text);
  res.json(page);
});

function renderPreview(element, markdown) {
  // expect: xss-sink
  element.innerHTML = markdown.replace(/\n/g, "<br>");
}

function renderTitle(element, title) {
  // ok: xss-sink
  element.textContent = title;
}

function newApiKey() {
  // expect: insecure-random
  const apiKey = Math.random().toString(36).slice(2);
  return apiKey;
}

function backoff(attempt) {
  // ok: insecure-random
  return attempt * 100 + Math.floor(Math.random() * 50);
}

function passwordDigest(password) {
  // expect: weak-hash
  return crypto.createHash("sha1").update(password).digest("hex");
}

function etagOf(body) {
  // ok: weak-hash
  const etag = crypto.createHash("md5").update(body).digest("hex");
  return etag;
}

function fetchMirror(url, done) {
  // expect: tls-verification-disabled
  https.get(url, { rejectUnauthorized: false }, (res) => done(null, res));
}

function rebuildSearchIndex(dir, done) {
  // expect: callback-hell
  fs.readdir(dir, (err, names) => {
    if (err) return done(err);
    fs.readFile(path.join(dir, names[0]), "utf8", (err2, text) => {
      if (err2) return done(err2);
      fs.writeFile(path.join(dir, "index.json"), JSON.stringify({ text }), (err3) => {
        done(err3);
      });
    });
  });
}

// expect: async-await
async function warmCache(slugs) {
  for (const slug of slugs) {
    await db.query("SELECT body FROM pages WHERE slug = $1", [slug]);
  }
}

// ok: async-await
async function health() {
  return { ok: true };
}

app.listen(8080);
module.exports = { renderPreview, renderTitle, newApiKey, backoff, passwordDigest, etagOf, fetchMirror, rebuildSearchIndex, warmCache, health };
