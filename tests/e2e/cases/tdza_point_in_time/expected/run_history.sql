SELECT data_date, trigger, status, reason_code, records_written, entities_excluded, exclusion_counts,
       json_extract(stats, '$.league_avg_teams_in_sample') AS league_teams,
       json_extract(stats, '$.league_avg_is_default') AS league_default, output_hash
FROM nba_reference.processor_run_history
WHERE processor_name = 'team_defense_zone_analysis'
ORDER BY data_date, started_at;
