SELECT processor_name, data_date, status, reason_code, reason, records_written FROM nba_reference.processor_run_history ORDER BY processor_name, data_date
