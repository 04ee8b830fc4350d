-- SPDX-License-Identifier: Apache-2.0
-- 0003: per-stage timings on reports and full-text search over them (FTS5).
-- The search body is derived from the report JSON by triggers, so every
-- writer of `reports` (and ON DELETE CASCADE from retention) keeps it right.

ALTER TABLE reports ADD COLUMN timings TEXT NOT NULL DEFAULT '{}';

CREATE VIRTUAL TABLE reports_fts USING fts5(body, tokenize = 'porter unicode61');

CREATE TRIGGER reports_fts_ai AFTER INSERT ON reports
WHEN json_valid(NEW.json) BEGIN
  INSERT INTO reports_fts (rowid, body) VALUES (NEW.id,
    coalesce(json_extract(NEW.json, '$.scene'), '') || ' ' ||
    coalesce(json_extract(NEW.json, '$.activity'), '') || ' ' ||
    coalesce((SELECT group_concat(
                coalesce(json_extract(s.value, '$.kind'), '') || ' ' ||
                coalesce(json_extract(s.value, '$.description'), ''), ' ')
              FROM json_each(NEW.json, '$.subjects') s), '') || ' ' ||
    coalesce((SELECT group_concat(f.value, ' ')
              FROM json_each(NEW.json, '$.flags') f), ''));
END;

CREATE TRIGGER reports_fts_ad AFTER DELETE ON reports BEGIN
  DELETE FROM reports_fts WHERE rowid = OLD.id;
END;

-- Reports written before this migration.
INSERT INTO reports_fts (rowid, body)
SELECT id,
    coalesce(json_extract(json, '$.scene'), '') || ' ' ||
    coalesce(json_extract(json, '$.activity'), '') || ' ' ||
    coalesce((SELECT group_concat(
                coalesce(json_extract(s.value, '$.kind'), '') || ' ' ||
                coalesce(json_extract(s.value, '$.description'), ''), ' ')
              FROM json_each(reports.json, '$.subjects') s), '') || ' ' ||
    coalesce((SELECT group_concat(f.value, ' ')
              FROM json_each(reports.json, '$.flags') f), '')
FROM reports WHERE json_valid(json);
