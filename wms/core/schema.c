/*
 * schema.c - the numbered schema migrations of the store.
 *
 * Migration N brings a database from user_version N-1 to N.  Migrations are
 * append-only: never edit one that has shipped; add the next.  The ledger
 * (`events`) is the source of truth; devices, orders and rentals are
 * projections of it (rebuildable, see rebuild.c); products, customers and
 * locations are reference data.
 */
#include "schema.h"

#include <stddef.h>

static const char *const migrations[] = {
	/* 1: reference data, the ledger, projections */
	"CREATE TABLE products("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name_sv TEXT NOT NULL,"
	"  name_en TEXT NOT NULL,"
	"  category TEXT NOT NULL CHECK (category IN ('HoS','SoL')),"
	"  needs_training INTEGER NOT NULL DEFAULT 0 CHECK (needs_training IN (0,1)));"
	"CREATE TABLE product_gtins("
	"  gtin TEXT PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES products(id));"
	"CREATE TABLE customers("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('region','municipality','private')),"
	"  cost_centre TEXT);"
	"CREATE TABLE locations("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('goods_in','shelf','buffer','pickup_point',"
	"       'transit','home','unit','quarantine','reconditioning','repair','scrapped')),"
	"  depot TEXT,"
	"  customer_id INTEGER REFERENCES customers(id));"
	"INSERT INTO locations(code, name, kind) VALUES"
	"  ('GOODS-IN', 'Godsmottagning', 'goods_in'),"
	"  ('TRANSIT', 'Under transport', 'transit'),"
	"  ('HOME', 'Hos patient', 'home'),"
	"  ('UNIT', 'Hos beställande enhet', 'unit'),"
	"  ('QUARANTINE', 'Karantän', 'quarantine'),"
	"  ('RECON', 'Rekonditionering', 'reconditioning'),"
	"  ('REPAIR', 'Reparation', 'repair'),"
	"  ('SCRAPPED', 'Kasserad', 'scrapped');"

	"CREATE TABLE events("
	"  id INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  device_id INTEGER,"
	"  order_id INTEGER,"
	"  from_state TEXT,"
	"  to_state TEXT,"
	"  location_id INTEGER,"
	"  station TEXT,"
	"  actor TEXT,"
	"  payload TEXT);"
	"CREATE INDEX events_by_device ON events(device_id) WHERE device_id IS NOT NULL;"
	"CREATE INDEX events_by_order ON events(order_id) WHERE order_id IS NOT NULL;"
	"CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the event ledger is append-only: UPDATE refused'); END;"
	"CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the event ledger is append-only: DELETE refused'); END;"

	"CREATE TABLE devices("
	"  id INTEGER PRIMARY KEY,"
	"  serial TEXT NOT NULL UNIQUE,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  gtin TEXT,"
	"  lot TEXT,"
	"  expiry TEXT,"
	"  manufactured TEXT,"
	"  state TEXT NOT NULL,"
	"  location_id INTEGER REFERENCES locations(id),"
	"  order_id INTEGER,"
	"  recon_cycles INTEGER NOT NULL DEFAULT 0,"
	"  received_ts INTEGER NOT NULL,"
	"  updated_ts INTEGER NOT NULL,"
	"  last_event_id INTEGER NOT NULL);"
	"CREATE INDEX devices_by_state ON devices(state, product_id, updated_ts);"
	"CREATE INDEX devices_by_location ON devices(location_id);"

	"CREATE TABLE orders("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),"
	"  patient_ref TEXT,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  mode TEXT NOT NULL CHECK (mode IN ('home','pickup_point','unit','buffer')),"
	"  pickup_point_id INTEGER REFERENCES locations(id),"
	"  requested_date TEXT,"
	"  depot TEXT NOT NULL,"
	"  registered_ts INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('open','reserved','picked','dispatched',"
	"         'delivered','cancelled')),"
	"  device_id INTEGER,"
	"  exchange_of INTEGER,"
	"  dispatched_ts INTEGER,"
	"  delivered_ts INTEGER,"
	"  note TEXT,"
	"  last_event_id INTEGER NOT NULL);"
	"CREATE INDEX orders_by_status ON orders(status, registered_ts);"
	"CREATE INDEX orders_by_delivery ON orders(delivered_ts) WHERE delivered_ts IS NOT NULL;"

	"CREATE TABLE rentals("
	"  id INTEGER PRIMARY KEY,"
	"  device_id INTEGER NOT NULL,"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),"
	"  order_id INTEGER,"
	"  start_ts INTEGER NOT NULL,"
	"  end_ts INTEGER);"
	"CREATE INDEX rentals_open ON rentals(device_id) WHERE end_ts IS NULL;"

	"CREATE VIEW stock AS"
	"  SELECT l.code AS location, p.code AS product, d.state AS state, count(*) AS devices"
	"  FROM devices d JOIN products p ON p.id = d.product_id"
	"  LEFT JOIN locations l ON l.id = d.location_id"
	"  WHERE d.state IN ('received','in_stock','in_buffer','reserved','picked')"
	"  GROUP BY l.code, p.code, d.state;",

	/* 2: the daemon's scan journal: every raw scan, durable before it is
	 * interpreted; result and event_id are filled in once it was handled. */
	"CREATE TABLE scan_journal("
	"  id INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL,"
	"  station TEXT NOT NULL,"
	"  raw BLOB NOT NULL,"
	"  result TEXT,"
	"  event_id INTEGER REFERENCES events(id));"
	"CREATE INDEX scan_journal_by_station ON scan_journal(station, id);",
};

int wms_schema_count(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *wms_schema_migration(int version)
{
	if (version < 1 || version > wms_schema_count())
		return NULL;
	return migrations[version - 1];
}
