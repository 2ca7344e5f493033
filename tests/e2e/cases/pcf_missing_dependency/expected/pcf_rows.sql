SELECT player_lookup, game_date, fatigue_score, total_composite_adjustment, data_hash, engine_version FROM nba_precompute.player_composite_factors ORDER BY player_lookup
