-- §7.6: total = sum of the unrounded parts, so it is within 3 x 0.05 + 0.005 of the sum of the stored parts;
-- §9: warning flags agree with the text; §8/§13: synthetic rows always miss projected_usage_rate (max 80)
SELECT
  SUM(CASE WHEN ABS(total_composite_adjustment - ((fatigue_score - 100) / 20.0 + shot_zone_mismatch_score
                 + pace_score + usage_spike_score)) > 0.155 THEN 1 ELSE 0 END) AS total_mismatch,
  SUM(CASE WHEN (has_warnings = 1) <> (warning_details IS NOT NULL) THEN 1 ELSE 0 END) AS flag_mismatch,
  SUM(CASE WHEN (fatigue_score < 50) <> (COALESCE(warning_details, '') LIKE '%EXTREME_FATIGUE%') THEN 1 ELSE 0 END) AS fatigue_warning_mismatch,
  SUM(CASE WHEN context_source = 'synthetic' AND (data_completeness_pct > 80.0
                 OR missing_data_fields NOT LIKE '%projected_usage_rate%') THEN 1 ELSE 0 END) AS synthetic_completeness_bad,
  SUM(CASE WHEN calculation_version <> 'v1_4factors' OR early_season_flag IS NOT NULL
                 OR insufficient_data_reason IS NOT NULL THEN 1 ELSE 0 END) AS constant_columns_bad
FROM nba_precompute.player_composite_factors
