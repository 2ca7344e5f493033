-- > 1000 rows; one PCF date per final regular-season schedule date after bootstrap (2021-11-01 is day 13);
-- one row per PGS player on each date (§5: historical player set = PGS players of D; PCF excludes nobody)
SELECT
  COUNT(*) > 1000 AS many_rows,
  COUNT(DISTINCT game_date) = (SELECT COUNT(DISTINCT game_date) FROM nba_raw.nbac_schedule
                               WHERE game_date BETWEEN '2021-11-02' AND '2021-12-31'
                                 AND game_type IN ('regular_season', 'play_in', 'playoff')
                                 AND game_status = 'final') AS dates_match_schedule,
  COUNT(*) - (SELECT COUNT(*) FROM nba_analytics.player_game_summary
              WHERE game_date BETWEEN '2021-11-02' AND '2021-12-31') AS rows_minus_pgs,
  SUM(CASE WHEN game_date = '2021-11-01' THEN 1 ELSE 0 END) AS bootstrap_rows
FROM nba_precompute.player_composite_factors
