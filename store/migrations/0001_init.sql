-- SPDX-License-Identifier: Apache-2.0
-- 0001: snapshots index, per-camera totals, reports and events.
-- The dated folders are the truth; every row here can be rebuilt from them
-- except reports and events (which hang off snapshot ids).

CREATE TABLE snapshots (
  id             INTEGER PRIMARY KEY,
  camera         TEXT    NOT NULL,
  captured_at_ms INTEGER NOT NULL,  -- UTC epoch milliseconds
  rel_path       TEXT    NOT NULL UNIQUE,
  size_bytes     INTEGER NOT NULL,
  width          INTEGER NOT NULL,
  height         INTEGER NOT NULL,
  kept           INTEGER NOT NULL DEFAULT 0,
  indexed_at_ms  INTEGER NOT NULL
);
-- Gallery: newest first, keyset paging on (captured_at_ms, id), optionally
-- per camera. Retention walks the same indexes from the old end.
CREATE INDEX snapshots_by_time ON snapshots (captured_at_ms, id);
CREATE INDEX snapshots_by_camera_time ON snapshots (camera, captured_at_ms, id);

-- Kept up to date by triggers so Stats() and /metrics never scan 100k rows.
CREATE TABLE camera_totals (
  camera     TEXT PRIMARY KEY,
  count      INTEGER NOT NULL DEFAULT 0,
  bytes      INTEGER NOT NULL DEFAULT 0,
  kept_count INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER snapshots_ai AFTER INSERT ON snapshots BEGIN
  INSERT OR IGNORE INTO camera_totals (camera) VALUES (NEW.camera);
  UPDATE camera_totals SET count = count + 1, bytes = bytes + NEW.size_bytes,
         kept_count = kept_count + (NEW.kept != 0)
   WHERE camera = NEW.camera;
END;
CREATE TRIGGER snapshots_ad AFTER DELETE ON snapshots BEGIN
  UPDATE camera_totals SET count = count - 1, bytes = bytes - OLD.size_bytes,
         kept_count = kept_count - (OLD.kept != 0)
   WHERE camera = OLD.camera;
  DELETE FROM camera_totals WHERE camera = OLD.camera AND count <= 0;
END;
CREATE TRIGGER snapshots_au AFTER UPDATE OF camera, size_bytes, kept
ON snapshots BEGIN
  UPDATE camera_totals SET count = count - 1, bytes = bytes - OLD.size_bytes,
         kept_count = kept_count - (OLD.kept != 0)
   WHERE camera = OLD.camera;
  INSERT OR IGNORE INTO camera_totals (camera) VALUES (NEW.camera);
  UPDATE camera_totals SET count = count + 1, bytes = bytes + NEW.size_bytes,
         kept_count = kept_count + (NEW.kept != 0)
   WHERE camera = NEW.camera;
  DELETE FROM camera_totals WHERE count <= 0;
END;

-- Model output for a snapshot (issue 3+): one row per analysis run.
CREATE TABLE reports (
  id             INTEGER PRIMARY KEY,
  snapshot_id    INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  model          TEXT    NOT NULL,
  prompt         TEXT    NOT NULL DEFAULT '',
  json           TEXT    NOT NULL,
  duration_ms    INTEGER NOT NULL DEFAULT 0,
  created_at_ms  INTEGER NOT NULL
);
CREATE INDEX reports_by_snapshot ON reports (snapshot_id, created_at_ms);

-- Things that happened (motion, alert sent, camera offline...).
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  camera      TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  snapshot_id INTEGER REFERENCES snapshots (id) ON DELETE SET NULL,
  at_ms       INTEGER NOT NULL,
  json        TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_time ON events (at_ms);
CREATE INDEX events_by_camera_time ON events (camera, at_ms);
CREATE INDEX events_by_snapshot ON events (snapshot_id);

-- Store bookkeeping (last reconcile time, ...).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
