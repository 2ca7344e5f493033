-- nba_predictions.ml_feature_store_v2 rows for D after the rerun are byte-identical (data_hash) to those before it, same key set
SELECT (SELECT COUNT(*) FROM nba_predictions.snap s JOIN nba_predictions.ml_feature_store_v2 m USING (player_lookup) WHERE m.game_date = '2021-12-15' AND m.data_hash <> s.data_hash) AS changed,
       (SELECT COUNT(*) FROM nba_predictions.snap s JOIN nba_predictions.ml_feature_store_v2 m USING (player_lookup) WHERE m.game_date = '2021-12-15')
         = (SELECT COUNT(*) FROM nba_predictions.snap) AS all_snapshot_rows_present,
       (SELECT COUNT(*) FROM nba_predictions.ml_feature_store_v2 WHERE game_date = '2021-12-15') = (SELECT COUNT(*) FROM nba_predictions.snap) AS no_new_rows,
       (SELECT COUNT(*) FROM nba_predictions.snap) > 0 AS snapshot_not_empty
