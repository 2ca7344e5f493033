SELECT analysis_date, entity_id, failure_category, failure_reason, can_retry
FROM nba_precompute.precompute_failures
WHERE processor_name = 'team_defense_zone_analysis'
ORDER BY analysis_date, entity_id;
