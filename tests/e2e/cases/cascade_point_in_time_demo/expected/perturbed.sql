-- the perturbation of D's Phase 3 rows really happened (1 = true)
SELECT (SELECT COUNT(*) FROM nba_analytics.player_game_summary WHERE game_date = '2021-12-15') > 0
   AND (SELECT COUNT(*) FROM nba_analytics.player_game_summary WHERE game_date = '2021-12-15' AND minutes_played IS NOT 44) = 0 AS pgs_minutes_44,
       (SELECT COUNT(*) FROM nba_analytics.team_offense_game_summary WHERE game_date = '2021-12-15') > 0
   AND (SELECT COUNT(*) FROM nba_analytics.team_offense_game_summary WHERE game_date = '2021-12-15' AND pace IS NOT 111.1) = 0 AS togs_pace,
       (SELECT COUNT(*) FROM nba_analytics.team_defense_game_summary WHERE game_date = '2021-12-15') > 0
   AND (SELECT COUNT(*) FROM nba_analytics.team_defense_game_summary WHERE game_date = '2021-12-15' AND points_allowed IS NOT 150) = 0 AS tdgs_points
