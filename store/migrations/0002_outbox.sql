-- SPDX-License-Identifier: Apache-2.0
-- 0002: alerts and their notification outbox (alerts/, store/outbox.cc).
-- An alert is written here before any notifier sees it; a background sender
-- delivers each outbox row and marks it, so a restart loses nothing.

-- One row per alert; `revision` grows when the report updates it (fast
-- first at motion time, rich later), `json` is the latest notification.
CREATE TABLE alerts (
  id             TEXT    PRIMARY KEY,  -- event id, stable across revisions
  rule           TEXT    NOT NULL,
  camera         TEXT    NOT NULL,
  snapshot_id    INTEGER,              -- no FK: alerts outlive retention
  revision       INTEGER NOT NULL,
  stage          TEXT    NOT NULL,     -- motion | report
  json           TEXT    NOT NULL,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL
);
CREATE INDEX alerts_by_time ON alerts (created_at_ms);

-- One row per (alert revision, receiver). UNIQUE makes enqueueing
-- idempotent; `delivered_at_ms` is set once the receiver acknowledged.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  alert_id        TEXT    NOT NULL,
  receiver        TEXT    NOT NULL,   -- notifier name from the config
  revision        INTEGER NOT NULL,
  payload         TEXT    NOT NULL,   -- notification JSON of that revision
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  delivered_at_ms INTEGER,
  failed          INTEGER NOT NULL DEFAULT 0,  -- permanent error, not retried
  last_error      TEXT    NOT NULL DEFAULT '',
  created_at_ms   INTEGER NOT NULL,
  UNIQUE (alert_id, receiver, revision)
);
-- The sender's scan: undelivered rows in order.
CREATE INDEX outbox_pending ON outbox (delivered_at_ms, failed, id);
