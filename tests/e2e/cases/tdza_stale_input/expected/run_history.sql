SELECT data_date, status, reason_code, reason, records_written, entities_excluded, exclusion_counts, output_hash
FROM nba_reference.processor_run_history
WHERE processor_name = 'team_defense_zone_analysis'
ORDER BY data_date, started_at;
