SELECT game_date, tdza_status, tdza_rows FROM nba_orchestration.phase4_completion ORDER BY game_date;
