SELECT data_date, status, reason_code, reason, mode, records_written, entities_excluded, exclusion_counts,
       json_extract(stats, '$.players_processed') AS players_processed,
       json_extract(stats, '$.players_insufficient') AS players_insufficient,
       output_hash, trigger
FROM nba_reference.processor_run_history
WHERE processor_name = 'player_shot_zone_analysis'
ORDER BY data_date;
