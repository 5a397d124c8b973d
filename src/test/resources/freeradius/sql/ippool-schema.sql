--
-- Table structure for table 'radippool'
--
-- See also "procedure.sql" in this directory for additional
-- indices and a stored procedure that is much faster.
--

CREATE TABLE radippool (
	id			BIGSERIAL PRIMARY KEY,
	pool_name		text NOT NULL,
	FramedIPAddress		INET NOT NULL,
	NASIPAddress		text NOT NULL default '',
	pool_key		text NOT NULL default '',
	CalledStationId		text NOT NULL default '',
	CallingStationId	text NOT NULL default ''::text,
	expiry_time		TIMESTAMP(0) without time zone NOT NULL default NOW(),
	username		text DEFAULT ''::text
);

CREATE INDEX radippool_poolname_expire ON radippool USING btree (pool_name, expiry_time);
-- vpnrouter: an address is one row, so it can never be leased twice (the stock index is not unique).
CREATE UNIQUE INDEX radippool_framedipaddress ON radippool USING btree (framedipaddress);
-- vpnrouter: allocate_existing looks a returning client up by pool and key alone (any hub).
CREATE INDEX radippool_poolname_poolkey ON radippool USING btree (pool_name, pool_key);
CREATE INDEX radippool_nasip_poolkey_ipaddress ON radippool USING btree (nasipaddress, pool_key, framedipaddress);
