-- wave_score's score 0 holds the number of responses of the wave (answers
-- are scored 1 to 5): the survey figures then read no correlated count of
-- survey_response per wave (150 ms of the national figures at 6 000 waves).
INSERT INTO wave_score (wave_id, score, n)
SELECT wave_id, 0, COUNT(*) FROM survey_response GROUP BY wave_id;
