SELECT data_date, season_year, status, reason_code, reason, mode, records_written, entities_excluded,
       exclusion_counts, json_extract(stats, '$.teams_processed') AS teams_processed,
       json_extract(stats, '$.teams_insufficient') AS teams_insufficient,
       json_extract(stats, '$.league_avg_teams_in_sample') AS league_teams,
       json_extract(stats, '$.league_avg_is_default') AS league_default,
       output_hash, trigger
FROM nba_reference.processor_run_history
WHERE processor_name = 'team_defense_zone_analysis'
ORDER BY data_date;
