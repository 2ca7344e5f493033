SELECT player_lookup, universal_player_id, game_date, game_id, team_abbr, opponent_team_abbr, is_home, days_rest,
       features, feature_sources, feature_count, feature_version, feature_quality_score, quality_tier, data_source,
       completeness_percentage, is_production_ready, data_quality_issues, data_hash
FROM nba_predictions.ml_feature_store_v2 ORDER BY player_lookup, game_date
