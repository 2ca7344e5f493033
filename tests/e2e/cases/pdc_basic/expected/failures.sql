SELECT processor_name, analysis_date, entity_id, failure_category, failure_reason, can_retry FROM nba_precompute.precompute_failures ORDER BY processor_name, analysis_date, entity_id
