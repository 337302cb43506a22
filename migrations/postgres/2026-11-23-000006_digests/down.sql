DROP INDEX digest_deliveries_status;
DROP TABLE digest_deliveries;
DROP TABLE digest_settings;
DROP TABLE member_follows;
