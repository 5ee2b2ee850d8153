-- Canary workbook, version 5. Released migrations are never edited: add a new file.
--
-- What an EU declaration of conformity (CRA Annex V) states about a product
-- beyond its identity: the standards, specifications or certifications applied
-- (a JSON array), the notified body and its number, the conformity assessment
-- procedure, the certificate, and where the full declaration is published.
-- Products stored before have none of them: empty.

ALTER TABLE product ADD COLUMN cra_standards TEXT NOT NULL DEFAULT '[]';
ALTER TABLE product ADD COLUMN cra_notified_body TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN cra_notified_body_number TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN cra_procedure TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN cra_certificate TEXT NOT NULL DEFAULT '';
ALTER TABLE product ADD COLUMN cra_declaration_url TEXT NOT NULL DEFAULT '';
