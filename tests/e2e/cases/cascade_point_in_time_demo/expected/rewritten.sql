-- D's MLFS and PCF rows were rewritten by the rerun (no marked row survives, and rows exist)
SELECT (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2 WHERE game_date = '2021-12-15' AND engine_version = 'marked') AS mlfs_marked,
       (SELECT COUNT(*) FROM nba_precompute.player_composite_factors WHERE game_date = '2021-12-15' AND engine_version = 'marked') AS pcf_marked,
       (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2 WHERE game_date = '2021-12-15') > 0 AS mlfs_rows,
       (SELECT COUNT(*) FROM nba_precompute.player_composite_factors WHERE game_date = '2021-12-15') > 0 AS pcf_rows
