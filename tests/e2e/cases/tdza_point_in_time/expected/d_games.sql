SELECT game_date, COUNT(*) AS teams, SUM(opp_paint_makes = opp_paint_attempts) AS all_made
FROM nba_analytics.team_defense_game_summary
WHERE game_date >= '2024-11-05'
GROUP BY game_date ORDER BY game_date;
