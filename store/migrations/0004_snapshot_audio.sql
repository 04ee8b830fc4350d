-- SPDX-License-Identifier: Apache-2.0
-- 0004: an audio clip beside a snapshot (issue 5). The clip is the WAV next
-- to the JPEG (same name, .wav); audio_ms is its length, NULL when the
-- snapshot has no clip. Rebuildable from the folders like every row.
ALTER TABLE snapshots ADD COLUMN audio_ms INTEGER;
