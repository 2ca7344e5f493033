-- nba_precompute.player_daily_cache rows for D after the rerun are byte-identical (data_hash) to those before it, same key set
SELECT (SELECT COUNT(*) FROM nba_precompute.snap_pdc s JOIN nba_precompute.player_daily_cache m USING (player_lookup) WHERE m.cache_date = '2021-12-15' AND m.data_hash <> s.data_hash) AS changed,
       (SELECT COUNT(*) FROM nba_precompute.snap_pdc s JOIN nba_precompute.player_daily_cache m USING (player_lookup) WHERE m.cache_date = '2021-12-15')
         = (SELECT COUNT(*) FROM nba_precompute.snap_pdc) AS all_snapshot_rows_present,
       (SELECT COUNT(*) FROM nba_precompute.player_daily_cache WHERE cache_date = '2021-12-15') = (SELECT COUNT(*) FROM nba_precompute.snap_pdc) AS no_new_rows,
       (SELECT COUNT(*) FROM nba_precompute.snap_pdc) > 0 AS snapshot_not_empty
