-- nba_precompute.player_shot_zone_analysis rows for D after the rerun are byte-identical (data_hash) to those before it, same key set
SELECT (SELECT COUNT(*) FROM nba_precompute.snap_psza s JOIN nba_precompute.player_shot_zone_analysis m USING (player_lookup) WHERE m.analysis_date = '2021-12-15' AND m.data_hash <> s.data_hash) AS changed,
       (SELECT COUNT(*) FROM nba_precompute.snap_psza s JOIN nba_precompute.player_shot_zone_analysis m USING (player_lookup) WHERE m.analysis_date = '2021-12-15')
         = (SELECT COUNT(*) FROM nba_precompute.snap_psza) AS all_snapshot_rows_present,
       (SELECT COUNT(*) FROM nba_precompute.player_shot_zone_analysis WHERE analysis_date = '2021-12-15') = (SELECT COUNT(*) FROM nba_precompute.snap_psza) AS no_new_rows,
       (SELECT COUNT(*) FROM nba_precompute.snap_psza) > 0 AS snapshot_not_empty
