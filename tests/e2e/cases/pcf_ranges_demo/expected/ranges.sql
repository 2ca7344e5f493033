-- pcf.md §7: every stored score inside its range; deferred factors 0.0; fatigue reachable 35..100 (§7.1)
SELECT
  SUM(CASE WHEN fatigue_score NOT BETWEEN 0 AND 100
             OR shot_zone_mismatch_score NOT BETWEEN -10 AND 10
             OR pace_score NOT BETWEEN -3 AND 3
             OR usage_spike_score NOT BETWEEN -3 AND 3
             OR total_composite_adjustment NOT BETWEEN -19.25 AND 16 THEN 1 ELSE 0 END) AS out_of_range,
  SUM(CASE WHEN referee_favorability_score <> 0 OR look_ahead_pressure_score <> 0
             OR travel_impact_score <> 0 OR opponent_strength_score <> 0 THEN 1 ELSE 0 END) AS deferred_nonzero,
  SUM(CASE WHEN fatigue_score < 35 THEN 1 ELSE 0 END) AS fatigue_below_reachable,
  SUM(CASE WHEN data_completeness_pct NOT IN (0.0, 20.0, 40.0, 60.0, 80.0, 100.0) THEN 1 ELSE 0 END) AS bad_completeness
FROM nba_precompute.player_composite_factors
