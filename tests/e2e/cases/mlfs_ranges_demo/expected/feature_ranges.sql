-- mlfs.md §6: every stored feature lies in its valid range (set-valued ones in their sets).
WITH bounds(idx, lo, hi) AS (VALUES
  (0, 0, 60), (1, 0, 60), (2, 0, 60), (3, 0, 30), (4, 0, 7), (5, 0, 100), (6, -10, 10), (7, -3, 3), (8, -3, 3),
  (9, -2, 2), (10, 0, 3), (11, -2, 2), (12, -2, 2), (13, 90, 130), (14, 85, 115), (15, 0, 1), (16, 0, 1),
  (17, 0, 1), (18, 0, 1), (19, 0, 1), (20, 0, 1), (21, 0, 0.5), (22, 85, 115), (23, 90, 130), (24, 0, 1)),
values_(player_lookup, game_date, idx, v) AS (
  SELECT m.player_lookup, m.game_date, CAST(j.key AS INTEGER), j.value
  FROM nba_predictions.ml_feature_store_v2 m, json_each(m.features) j)
SELECT
  (SELECT COUNT(*) FROM values_ v JOIN bounds b USING (idx) WHERE v.v < b.lo OR v.v > b.hi) AS out_of_range,
  (SELECT COUNT(*) FROM values_ WHERE idx IN (10, 11, 12, 15, 16, 17) AND v <> CAST(v AS INTEGER)) AS non_integral_sets,
  (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2 WHERE json_array_length(features) <> 25) AS wrong_length,
  (SELECT COUNT(*) > 1000 FROM nba_predictions.ml_feature_store_v2) AS many_rows,
  (SELECT COUNT(DISTINCT feature_version) = 1 AND MIN(feature_version) = 'v1_baseline_25'
     FROM nba_predictions.ml_feature_store_v2) AS one_version
