-- nba_precompute.team_defense_zone_analysis rows for D after the rerun are byte-identical (data_hash) to those before it, same key set
SELECT (SELECT COUNT(*) FROM nba_precompute.snap_tdza s JOIN nba_precompute.team_defense_zone_analysis m USING (team_abbr) WHERE m.analysis_date = '2021-12-15' AND m.data_hash <> s.data_hash) AS changed,
       (SELECT COUNT(*) FROM nba_precompute.snap_tdza s JOIN nba_precompute.team_defense_zone_analysis m USING (team_abbr) WHERE m.analysis_date = '2021-12-15')
         = (SELECT COUNT(*) FROM nba_precompute.snap_tdza) AS all_snapshot_rows_present,
       (SELECT COUNT(*) FROM nba_precompute.team_defense_zone_analysis WHERE analysis_date = '2021-12-15') = (SELECT COUNT(*) FROM nba_precompute.snap_tdza) AS no_new_rows,
       (SELECT COUNT(*) FROM nba_precompute.snap_tdza) > 0 AS snapshot_not_empty
