-- Canary workbook, version 7. Released migrations are never edited: add a new file.
--
-- A product records the security labels it holds (PSTI as amended: a current
-- JC-STAR STAR-1 or Singapore CLS label is a deemed-compliance route), as a JSON
-- list of {scheme, level, label_id, expiry}, like roles and markets.

ALTER TABLE product ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
