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

	/* 3: reconditioning (reconditioning/): checklist snapshots, runs with their
	 * outcome, append-only step results; support cases and deviations.  Device
	 * and order ids are not declared as foreign keys: those tables are
	 * projections that rebuild.c refills. */
	"CREATE TABLE recon_checklists("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  version INTEGER NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  UNIQUE (product_id, hash));"
	"CREATE TABLE recon_runs("
	"  id INTEGER PRIMARY KEY,"
	"  device_id INTEGER NOT NULL,"
	"  checklist_id INTEGER NOT NULL REFERENCES recon_checklists(id),"
	"  start_event_id INTEGER NOT NULL REFERENCES events(id),"
	"  started_ts INTEGER NOT NULL,"
	"  technician TEXT NOT NULL,"
	"  outcome TEXT CHECK (outcome IN ('approved','repair','scrapped')),"
	"  outcome_text TEXT,"
	"  end_event_id INTEGER REFERENCES events(id),"
	"  finished_ts INTEGER,"
	"  finished_by TEXT);"
	"CREATE UNIQUE INDEX recon_runs_open ON recon_runs(device_id) WHERE outcome IS NULL;"
	"CREATE INDEX recon_runs_by_device ON recon_runs(device_id, id);"
	"CREATE TABLE recon_results("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES recon_runs(id),"
	"  step TEXT NOT NULL,"
	"  result TEXT NOT NULL CHECK (result IN ('pass','fail')),"
	"  value TEXT,"
	"  detail TEXT NOT NULL,"
	"  note TEXT,"
	"  ts INTEGER NOT NULL,"
	"  station TEXT,"
	"  technician TEXT NOT NULL);"
	"CREATE INDEX recon_results_by_run ON recon_results(run_id, step, id);"
	"CREATE TRIGGER recon_results_append_only_update BEFORE UPDATE ON recon_results"
	"  BEGIN SELECT RAISE(ABORT, 'reconditioning step results are append-only: UPDATE refused'); END;"
	"CREATE TRIGGER recon_results_append_only_delete BEFORE DELETE ON recon_results"
	"  BEGIN SELECT RAISE(ABORT, 'reconditioning step results are append-only: DELETE refused'); END;"
	"CREATE TABLE cases("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('support','deviation')),"
	"  device_id INTEGER NOT NULL,"
	"  order_id INTEGER,"
	"  status TEXT NOT NULL CHECK (status IN ('open','closed')),"
	"  text TEXT NOT NULL,"
	"  opened_ts INTEGER NOT NULL,"
	"  opened_by TEXT NOT NULL,"
	"  closed_ts INTEGER,"
	"  closed_by TEXT,"
	"  resolution TEXT);"
	"CREATE INDEX cases_by_device ON cases(device_id);"
	"CREATE INDEX cases_by_order ON cases(order_id) WHERE order_id IS NOT NULL;"
	"CREATE INDEX cases_by_status ON cases(status, opened_ts);",

	/* 4: the outbox: work decided in a command's transaction and delivered
	 * afterwards by a worker (print jobs now, carrier bookings later); nonce
	 * makes the job's name outside (CUPS job title) unique even when ids are
	 * reused (database restored from a backup, a second database). */
	"CREATE TABLE outbox("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('label','booking')),"
	"  target TEXT NOT NULL,"
	"  payload TEXT,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','submitted',"
	"        'printed','failed','cancelled')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_ts INTEGER NOT NULL,"
	"  cups_job_id INTEGER,"
	"  last_error TEXT,"
	"  created_ts INTEGER NOT NULL,"
	"  finished_ts INTEGER,"
	"  purged INTEGER NOT NULL DEFAULT 0,"
	"  event_id INTEGER REFERENCES events(id),"
	"  reprint_of INTEGER REFERENCES outbox(id),"
	"  nonce TEXT NOT NULL);"
	"CREATE INDEX outbox_due ON outbox(kind, next_attempt_ts) WHERE state = 'queued';"
	"CREATE INDEX outbox_in_flight ON outbox(kind) WHERE state = 'submitted';",

	/* 5: orders from the ordering system (external id unique per ordering unit)
	 * and the patient's personal data, kept apart from the ledger so that it
	 * can be purged (wms_patient.h); no foreign key to the orders projection,
	 * which a rebuild empties and refills. */
	"ALTER TABLE orders ADD COLUMN external_id TEXT;"
	"CREATE UNIQUE INDEX orders_by_external ON orders(customer_id, external_id)"
	"  WHERE external_id IS NOT NULL;"
	"CREATE TABLE order_patients("
	"  order_id INTEGER PRIMARY KEY,"
	"  name TEXT,"
	"  address TEXT,"
	"  postal_code TEXT,"
	"  phone TEXT,"
	"  created_ts INTEGER NOT NULL);",

	/* 6: users of the HTTP API with their role and argon2id password hash, API
	 * tokens for integrations and browser sessions; secrets are stored only as
	 * BLAKE2b hashes (wms_users.h). */
	"CREATE TABLE users("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('warehouse','technician','dispatcher','manager','admin')),"
	"  password_hash TEXT NOT NULL,"
	"  created_ts INTEGER NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)));"
	"CREATE TABLE api_tokens("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('warehouse','technician','dispatcher','manager','admin')),"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  created_ts INTEGER NOT NULL,"
	"  revoked_ts INTEGER);"
	"CREATE TABLE sessions("
	"  id_hash TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  csrf_hash TEXT NOT NULL,"
	"  created_ts INTEGER NOT NULL,"
	"  expires_ts INTEGER NOT NULL);"
	"CREATE INDEX sessions_by_expiry ON sessions(expires_ts);",

	/* 7: the courier room (courier/): pickup point registry (each entry owns a
	 * location of kind pickup_point, which orders refer to), postal-code
	 * coordinates, SSCC counters, consignments with their devices and their
	 * append-only events (a tracking event is recorded once per time). */
	"CREATE TABLE pickup_points("
	"  id INTEGER PRIMARY KEY,"
	"  carrier TEXT NOT NULL COLLATE NOCASE,"
	"  ext_id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  postal_code TEXT NOT NULL,"
	"  city TEXT NOT NULL,"
	"  opening_hours TEXT,"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	"  location_id INTEGER NOT NULL UNIQUE REFERENCES locations(id),"
	"  updated_ts INTEGER NOT NULL,"
	"  UNIQUE (carrier, ext_id));"
	"CREATE INDEX pickup_points_by_postcode ON pickup_points(postal_code);"
	"CREATE TABLE postcodes("
	"  code TEXT PRIMARY KEY,"
	"  lat REAL NOT NULL,"
	"  lon REAL NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE sscc_counters("
	"  prefix TEXT PRIMARY KEY,"
	"  next INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE consignments("
	"  id INTEGER PRIMARY KEY,"
	"  sscc TEXT NOT NULL UNIQUE CHECK (length(sscc) = 18),"
	"  order_id INTEGER NOT NULL,"
	"  carrier TEXT NOT NULL COLLATE NOCASE,"
	"  service TEXT,"
	"  tracking TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('created','booked','in_transit','at_pickup_point',"
	"        'delivered','collected','returned_to_sender','failed','cancelled')),"
	"  booking_error TEXT,"
	"  created_ts INTEGER NOT NULL,"
	"  updated_ts INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX consignments_by_tracking ON consignments(carrier, tracking)"
	"  WHERE tracking IS NOT NULL;"
	"CREATE INDEX consignments_by_tracking_only ON consignments(tracking) WHERE tracking IS NOT NULL;"
	"CREATE INDEX consignments_by_order ON consignments(order_id);"
	"CREATE INDEX consignments_by_state ON consignments(state, id);"
	"CREATE TABLE consignment_devices("
	"  consignment_id INTEGER NOT NULL REFERENCES consignments(id),"
	"  device_id INTEGER NOT NULL,"
	"  PRIMARY KEY (consignment_id, device_id)) WITHOUT ROWID;"
	"CREATE TABLE consignment_events("
	"  id INTEGER PRIMARY KEY,"
	"  consignment_id INTEGER NOT NULL REFERENCES consignments(id),"
	"  ts INTEGER NOT NULL,"
	"  event TEXT NOT NULL CHECK (event IN ('created','booked','booking_failed','cancelled',"
	"        'in_transit','available_at_pickup_point','delivered','collected',"
	"        'returned_to_sender','failed_delivery')),"
	"  source TEXT,"
	"  actor TEXT,"
	"  recorded_ts INTEGER NOT NULL,"
	"  detail TEXT,"
	"  ledger_event_id INTEGER REFERENCES events(id));"
	"CREATE UNIQUE INDEX consignment_events_once ON consignment_events(consignment_id, event, ts)"
	"  WHERE event NOT IN ('created','booked','booking_failed','cancelled');"
	"CREATE TRIGGER consignment_events_append_only_delete BEFORE DELETE ON consignment_events"
	"  BEGIN SELECT RAISE(ABORT, 'consignment events are append-only: DELETE refused'); END;"
	"CREATE TRIGGER consignment_events_append_only_update BEFORE UPDATE ON consignment_events"
	"  BEGIN SELECT RAISE(ABORT, 'consignment events are append-only: UPDATE refused'); END;",

	/* 8: a device's latest rental without scanning every later one (a return
	 * ends it: projection.c end_rental); the open-rentals index only has
	 * rentals still running. */
	"CREATE INDEX rentals_by_device ON rentals(device_id, id);",

	/* 9: consignments through the outbox and returns via postombud: a
	 * consignment is outbound or a return (the patient hands the device in at
	 * pickup_point_id), with the outbox jobs of its carrier booking and its
	 * label, decided in the transaction that made it. */
	"ALTER TABLE consignments ADD COLUMN kind TEXT NOT NULL DEFAULT 'outbound'"
	"  CHECK (kind IN ('outbound','return'));"
	"ALTER TABLE consignments ADD COLUMN pickup_point_id INTEGER REFERENCES locations(id);"
	"ALTER TABLE consignments ADD COLUMN booking_job INTEGER REFERENCES outbox(id);"
	"ALTER TABLE consignments ADD COLUMN label_job INTEGER REFERENCES outbox(id);",

	/* 10: the device an order has, without scanning every device: the daily
	 * patient-data purge asks it of every delivered order (wms_patient.h);
	 * with 100k orders and 10k devices it blocked wmsd's loop for minutes. */
	"CREATE INDEX devices_by_order ON devices(order_id) WHERE order_id IS NOT NULL;",

	/* 11: the audit trail of API changes that are not ledger events
	 * (wms_audit.h): who, when, which request, how it ended; append-only. */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  station TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  status INTEGER NOT NULL);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",

	/* 12: lead-time histograms (leadtime_hist.c), kept in the delivery
	 * transaction so that the report reads counts, not every order.
	 * lt_rules/lt_calendars: the cut-off and working days the figures were
	 * computed under (stale = 1: recompute them when the store is next opened
	 * for writing, which this migration asks for).  lt_cells: delivered
	 * orders per delivery month (year * 12 + month - 1) and lead time in
	 * working days, for every combination of product, customer and mode
	 * (0 and '' stand for "all"), plus per depot; custset = 1 counts orders
	 * with a customer-set date by their days late.  orders.lead_days is
	 * the order's figure (lead_set = 1: days late against its customer-set
	 * date), NULL until delivered; orders_by_lead serves the late list and
	 * the partial months at a window's edges. */
	"CREATE TABLE lt_rules ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  generation INTEGER NOT NULL,"
	"  cutoff_minute INTEGER NOT NULL,"
	"  stale INTEGER NOT NULL);"
	"INSERT INTO lt_rules VALUES (1, 0, 900, 1);"
	"CREATE TABLE lt_calendars ("
	"  depot TEXT PRIMARY KEY,"          /* '' = the default calendar */
	"  fingerprint INTEGER NOT NULL,"
	"  closed BLOB NOT NULL);"            /* non-working weekdays, int32 day numbers */
	"CREATE TABLE lt_cells ("
	"  product_id INTEGER NOT NULL,"
	"  customer_id INTEGER NOT NULL,"
	"  mode TEXT NOT NULL,"
	"  depot TEXT NOT NULL,"
	"  custset INTEGER NOT NULL,"
	"  month INTEGER NOT NULL,"
	"  days INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (product_id, customer_id, mode, depot, custset, month, days)) WITHOUT ROWID;"
	"ALTER TABLE orders ADD COLUMN lead_days INTEGER;"
	"ALTER TABLE orders ADD COLUMN lead_set INTEGER;"
	"CREATE INDEX orders_by_lead ON orders(delivered_ts, lead_set, lead_days, product_id,"
	"  customer_id, mode) WHERE lead_days IS NOT NULL;",

	/* station screens: what each station of wmsd has now (mode, who is
	 * signed in, what waits for the next scan), written with each scan's
	 * outcome so that `wms station` and the web screen show the same header.
	 * Operational, like scan_journal: not the ledger. */
	"CREATE TABLE station_state ("
	"  station TEXT PRIMARY KEY,"
	"  mode TEXT NOT NULL,"
	"  language TEXT NOT NULL DEFAULT 'en',"
	"  actor TEXT,"
	"  pending TEXT,"
	"  updated_ts INTEGER NOT NULL);",

	/* customers get an address: the delivery note (följesedel) of an order
	 * names the ordering unit with it.  An organisation's address, not
	 * personal data. */
	"ALTER TABLE customers ADD COLUMN street TEXT;"
	"ALTER TABLE customers ADD COLUMN postcode TEXT;"
	"ALTER TABLE customers ADD COLUMN city TEXT;",

	/* depots (wms_depot.h): a depot is an entity with its calendar (extra
	 * closed days, its own cut-off); every location of a depot (goods-in,
	 * shelves, buffer stores it serves, quarantine, reconditioning, repair,
	 * and the in-transit location of transfers to it), every order and every
	 * consignment belongs to one, by its code.  Existing rows go to the
	 * default depot ML (HMC Mölndal).  Locations outside any depot (with the
	 * patient, at the unit, on the way to a customer, pickup points, scrapped)
	 * have none.  Triggers refuse an unknown depot code; transfer requests
	 * are what a dispatcher asks of another depot that has a device. */
	"CREATE TABLE depots("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  address TEXT,"
	"  cutoff_minute INTEGER CHECK (cutoff_minute BETWEEN 0 AND 1439),"
	"  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0,1)));"
	"CREATE UNIQUE INDEX depots_one_default ON depots(is_default) WHERE is_default = 1;"
	"CREATE TABLE depot_closed_days("
	"  depot_id INTEGER NOT NULL REFERENCES depots(id),"
	"  day TEXT NOT NULL,"
	"  PRIMARY KEY (depot_id, day)) WITHOUT ROWID;"
	"INSERT INTO depots(code, name, is_default) VALUES ('ML', 'HMC Mölndal', 1);"
	"UPDATE locations SET depot = 'ML' WHERE kind IN ('goods_in','shelf','buffer','quarantine',"
	"  'reconditioning','repair');"
	"UPDATE locations SET depot = NULL WHERE kind IN ('transit','home','unit','pickup_point','scrapped');"
	"INSERT INTO locations(code, name, kind, depot) VALUES"
	"  ('TRANSFER-ML', 'På väg till HMC Mölndal', 'transit', 'ML');"
	"UPDATE orders SET depot = 'ML';"
	"ALTER TABLE consignments ADD COLUMN depot TEXT;"
	"UPDATE consignments SET depot = 'ML';"
	"CREATE INDEX orders_by_depot ON orders(depot, status);"
	"CREATE INDEX locations_by_depot ON locations(depot, kind);"
	"CREATE TRIGGER orders_depot_known BEFORE INSERT ON orders"
	"  WHEN NOT EXISTS (SELECT 1 FROM depots WHERE code = NEW.depot)"
	"  BEGIN SELECT RAISE(ABORT, 'unknown depot of an order'); END;"
	"CREATE TRIGGER orders_depot_fixed BEFORE UPDATE OF depot ON orders"
	"  WHEN NEW.depot IS NOT OLD.depot"
	"  BEGIN SELECT RAISE(ABORT, 'the depot of an order does not change'); END;"
	"CREATE TRIGGER locations_depot_known BEFORE INSERT ON locations"
	"  WHEN (NEW.depot IS NOT NULL AND NOT EXISTS (SELECT 1 FROM depots WHERE code = NEW.depot))"
	"    OR (NEW.depot IS NULL AND NEW.kind IN ('goods_in','shelf','buffer','quarantine',"
	"        'reconditioning','repair'))"
	"  BEGIN SELECT RAISE(ABORT, 'a location of a depot needs a known depot'); END;"
	"CREATE TRIGGER locations_depot_fixed BEFORE UPDATE OF depot ON locations"
	"  WHEN NEW.depot IS NOT OLD.depot"
	"  BEGIN SELECT RAISE(ABORT, 'the depot of a location does not change'); END;"
	"CREATE TRIGGER consignments_depot BEFORE INSERT ON consignments"
	"  WHEN NEW.depot IS NOT NULL AND NOT EXISTS (SELECT 1 FROM depots WHERE code = NEW.depot)"
	"  BEGIN SELECT RAISE(ABORT, 'unknown depot of a consignment'); END;"
	"CREATE TRIGGER consignments_depot_of_order AFTER INSERT ON consignments"
	"  WHEN NEW.depot IS NULL"
	"  BEGIN UPDATE consignments SET depot = coalesce((SELECT depot FROM orders WHERE id = NEW.order_id),"
	"    (SELECT code FROM depots WHERE is_default = 1)) WHERE id = NEW.id; END;"
	"CREATE TABLE transfer_requests("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  from_depot TEXT NOT NULL REFERENCES depots(code),"
	"  to_depot TEXT NOT NULL REFERENCES depots(code),"
	"  order_id INTEGER,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','sent','cancelled')),"
	"  created_ts INTEGER NOT NULL,"
	"  requested_by TEXT,"
	"  sent_event_id INTEGER REFERENCES events(id),"
	"  CHECK (from_depot <> to_depot));"
	"CREATE INDEX transfer_requests_open ON transfer_requests(from_depot, to_depot, product_id)"
	"  WHERE state = 'open';"
	"DROP VIEW stock;"
	"CREATE VIEW stock AS"
	"  SELECT l.depot AS depot, l.code AS location, p.code AS product, d.state AS state,"
	"  count(*) AS devices"
	"  FROM devices d JOIN products p ON p.id = d.product_id"
	"  LEFT JOIN locations l ON l.id = d.location_id"
	"  WHERE d.state IN ('received','in_stock','in_buffer','reserved','picked','in_transfer')"
	"  GROUP BY l.depot, l.code, p.code, d.state;",

	/* the ledger's epoch (wms_export.h): with the depot code and the event's
	 * sequence the key of an event at the hub; a depot restored from a backup
	 * starts a new epoch, so the hub never takes its events for the old ones */
	("CREATE TABLE ledger_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	 "INSERT INTO ledger_meta(key, value) VALUES ('epoch', lower(hex(randomblob(8))));"),

	/* goods in against what a supplier announced (wms_supplier.h) */
	"CREATE TABLE suppliers("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL);"
	"CREATE TABLE supplier_deliveries("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  supplier_id INTEGER NOT NULL REFERENCES suppliers(id),"
	"  status TEXT NOT NULL CHECK (status IN ('open','closed')),"
	"  created_ts INTEGER NOT NULL,"
	"  closed_ts INTEGER,"
	"  closed_by TEXT,"
	"  report TEXT);"
	"CREATE TABLE supplier_delivery_lines("
	"  delivery_id INTEGER NOT NULL REFERENCES supplier_deliveries(id),"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  expected INTEGER NOT NULL CHECK (expected > 0),"
	"  PRIMARY KEY (delivery_id, product_id)) WITHOUT ROWID;"
	"CREATE TABLE supplier_delivery_serials("
	"  delivery_id INTEGER NOT NULL REFERENCES supplier_deliveries(id),"
	"  serial TEXT NOT NULL,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  PRIMARY KEY (delivery_id, serial)) WITHOUT ROWID;"
	"CREATE TABLE supplier_delivery_receipts("
	"  delivery_id INTEGER NOT NULL REFERENCES supplier_deliveries(id),"
	"  device_id INTEGER NOT NULL UNIQUE,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  ts INTEGER NOT NULL,"
	"  PRIMARY KEY (delivery_id, device_id)) WITHOUT ROWID;",

	/* outbox.batch: the title of the CUPS job that carries several labels
	 * (printq_worker.c), recorded on each row before the job is submitted so
	 * that a worker restarted after a crash finds the batch by its title
	 * and adopts it for every row instead of printing them again. */
	"ALTER TABLE outbox ADD COLUMN batch TEXT;",

	/* The reconditioning gate in the database, and patient references out of
	 * the ledger (rules, issue 14).  A checklist snapshot keeps its number of
	 * steps; a recon_approve event is refused unless the device's open run
	 * has the latest result of every step passed (the same query as
	 * ledger_records.c).  The patient reference moves from order_create
	 * payloads to the purgeable order_patients (kept for orders not yet
	 * closed, or whose personal data is still there); this is the one
	 * redaction the append-only ledger ever gets, written to the audit trail,
	 * and it runs before the hash chain covers the events. */
	"ALTER TABLE recon_checklists ADD COLUMN steps INTEGER;"
	"CREATE TRIGGER recon_checklists_steps_fixed BEFORE UPDATE OF steps ON recon_checklists"
	"  WHEN OLD.steps IS NOT NULL"
	"  BEGIN SELECT RAISE(ABORT, 'the number of steps of a checklist snapshot never changes'); END;"
	"CREATE TRIGGER events_recon_approve_gate BEFORE INSERT ON events"
	"  WHEN NEW.type = 'recon_approve' AND NOT EXISTS ("
	"    SELECT 1 FROM recon_runs r JOIN recon_checklists c ON c.id = r.checklist_id"
	"    WHERE r.device_id = NEW.device_id AND r.outcome IS NULL AND c.steps > 0"
	"      AND c.steps = (SELECT count(*) FROM recon_results x WHERE x.run_id = r.id AND x.result = 'pass'"
	"        AND x.id = (SELECT max(y.id) FROM recon_results y WHERE y.run_id = r.id AND y.step = x.step)))"
	"  BEGIN SELECT RAISE(ABORT, 'recon_approve refused: the device has no open reconditioning run"
	" whose every checklist step passed'); END;"
	"ALTER TABLE order_patients ADD COLUMN patient_ref TEXT;"
	"INSERT INTO audit(ts, actor, station, action, status)"
	"  SELECT CAST(strftime('%s', 'now') AS INTEGER), 'wms', 'migration',"
	"    'redaction: patient references moved out of ' || count(*) || ' order_create event payloads"
	" into order_patients', 0"
	"  FROM events WHERE type = 'order_create' AND json_extract(payload, '$.patient_ref') IS NOT NULL"
	"  HAVING count(*) > 0;"
	"UPDATE order_patients SET patient_ref = (SELECT json_extract(e.payload, '$.patient_ref') FROM events e"
	"  WHERE e.type = 'order_create' AND e.order_id = order_patients.order_id);"
	"INSERT INTO order_patients(order_id, patient_ref, created_ts)"
	"  SELECT e.order_id, json_extract(e.payload, '$.patient_ref'), e.ts"
	"  FROM events e JOIN orders o ON o.id = e.order_id"
	"  WHERE e.type = 'order_create' AND json_extract(e.payload, '$.patient_ref') IS NOT NULL"
	"    AND NOT EXISTS (SELECT 1 FROM order_patients p WHERE p.order_id = e.order_id)"
	"    AND o.status <> 'cancelled'"
	"    AND NOT (o.status = 'delivered' AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.order_id = o.id));"
	"DROP TRIGGER events_append_only_update;"
	"UPDATE events SET payload = json_remove(payload, '$.patient_ref')"
	"  WHERE type = 'order_create' AND json_extract(payload, '$.patient_ref') IS NOT NULL;"
	"CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the event ledger is append-only: UPDATE refused'); END;"
	"ALTER TABLE orders DROP COLUMN patient_ref;"
	/* the badges (USR: barcodes) that sign a user in at a station */
	"CREATE TABLE user_badges("
	"  badge TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  created_ts INTEGER NOT NULL);",

	/* Tamper evidence (rules, issue 14; wms_chain.h): every event carries a
	 * SHA-256 hash chained to the event before it, written by the ledger's one
	 * insert; a row without one is refused.  The only UPDATE the append-only
	 * trigger lets through is filling the hash of an event that has none
	 * (wms_chain_backfill, for the events of a database from before the
	 * chain), every other column unchanged.  Must come after the migration
	 * above that redacts patient references, so the chain covers the
	 * redacted payloads. */
	"ALTER TABLE events ADD COLUMN hash BLOB;"
	"CREATE INDEX events_unhashed ON events(id) WHERE hash IS NULL;"
	"DROP TRIGGER events_append_only_update;"
	"CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events"
	"  WHEN NOT (OLD.hash IS NULL AND length(NEW.hash) = 32 AND NEW.id IS OLD.id AND NEW.ts IS OLD.ts"
	"    AND NEW.type IS OLD.type AND NEW.device_id IS OLD.device_id AND NEW.order_id IS OLD.order_id"
	"    AND NEW.from_state IS OLD.from_state AND NEW.to_state IS OLD.to_state"
	"    AND NEW.location_id IS OLD.location_id AND NEW.station IS OLD.station"
	"    AND NEW.actor IS OLD.actor AND NEW.payload IS OLD.payload)"
	"  BEGIN SELECT RAISE(ABORT, 'the event ledger is append-only: UPDATE refused'); END;"
	"CREATE TRIGGER events_hashed BEFORE INSERT ON events WHEN NEW.hash IS NULL OR length(NEW.hash) <> 32"
	"  BEGIN SELECT RAISE(ABORT, 'an event needs its hash: events are written only by the ledger'); END;",

	/* lead times by depot (leadtime_hist.c): a depot's own cut-off joins its
	 * calendar in the rules the figures were computed under (NULL: the
	 * rules' cut-off); lt_cells count every combination of product,
	 * customer and mode also per depot, so a depot filter reads cells;
	 * orders_by_lead carries the depot for the windows' edges and the late
	 * list.  stale = 2: count every delivered order again under the rules
	 * the database holds (not the defaults) when it is next opened for
	 * writing. */
	"ALTER TABLE lt_calendars ADD COLUMN cutoff_minute INTEGER;"
	"DROP INDEX orders_by_lead;"
	"CREATE INDEX orders_by_lead ON orders(delivered_ts, lead_set, lead_days, product_id,"
	"  customer_id, mode, depot) WHERE lead_days IS NOT NULL;"
	"UPDATE lt_rules SET stale = 2 WHERE id = 1 AND stale = 0;",

	/* transfers by carrier (wms_transfer.h, courier_consignment.h): a
	 * consignment of kind 'transfer' carries a device in transfer to another
	 * depot (to_depot) and has no order; a transfer request is 'received'
	 * once its device is scanned in.  SQLite changes a CHECK or NOT NULL
	 * only by rebuilding the table: new table, copy, drop, rename (store.c
	 * runs migrations with foreign keys off and checks them before the
	 * commit, as SQLite's ALTER TABLE documentation describes), then its
	 * indexes and triggers again.  Every column of consignments as the
	 * migrations above left it: a migration that adds one must come after
	 * this one. */
	"CREATE TABLE consignments_new("
	"  id INTEGER PRIMARY KEY,"
	"  sscc TEXT NOT NULL UNIQUE CHECK (length(sscc) = 18),"
	"  order_id INTEGER,"
	"  carrier TEXT NOT NULL COLLATE NOCASE,"
	"  service TEXT,"
	"  tracking TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('created','booked','in_transit','at_pickup_point',"
	"        'delivered','collected','returned_to_sender','failed','cancelled')),"
	"  booking_error TEXT,"
	"  created_ts INTEGER NOT NULL,"
	"  updated_ts INTEGER NOT NULL,"
	"  kind TEXT NOT NULL DEFAULT 'outbound' CHECK (kind IN ('outbound','return','transfer')),"
	"  pickup_point_id INTEGER REFERENCES locations(id),"
	"  booking_job INTEGER REFERENCES outbox(id),"
	"  label_job INTEGER REFERENCES outbox(id),"
	"  depot TEXT,"
	"  to_depot TEXT REFERENCES depots(code),"
	"  CHECK ((kind = 'transfer') = (order_id IS NULL)),"
	"  CHECK ((kind = 'transfer') = (to_depot IS NOT NULL)));"
	"INSERT INTO consignments_new(id, sscc, order_id, carrier, service, tracking, state,"
	"  booking_error, created_ts, updated_ts, kind, pickup_point_id, booking_job, label_job, depot)"
	"  SELECT id, sscc, order_id, carrier, service, tracking, state, booking_error, created_ts,"
	"  updated_ts, kind, pickup_point_id, booking_job, label_job, depot FROM consignments;"
	"DROP TABLE consignments;"
	"ALTER TABLE consignments_new RENAME TO consignments;"
	"CREATE UNIQUE INDEX consignments_by_tracking ON consignments(carrier, tracking)"
	"  WHERE tracking IS NOT NULL;"
	"CREATE INDEX consignments_by_tracking_only ON consignments(tracking) WHERE tracking IS NOT NULL;"
	"CREATE INDEX consignments_by_order ON consignments(order_id);"
	"CREATE INDEX consignments_by_state ON consignments(state, id);"
	"CREATE TRIGGER consignments_depot BEFORE INSERT ON consignments"
	"  WHEN NEW.depot IS NOT NULL AND NOT EXISTS (SELECT 1 FROM depots WHERE code = NEW.depot)"
	"  BEGIN SELECT RAISE(ABORT, 'unknown depot of a consignment'); END;"
	"CREATE TRIGGER consignments_depot_of_order AFTER INSERT ON consignments"
	"  WHEN NEW.depot IS NULL"
	"  BEGIN UPDATE consignments SET depot = coalesce((SELECT depot FROM orders WHERE id = NEW.order_id),"
	"    (SELECT code FROM depots WHERE is_default = 1)) WHERE id = NEW.id; END;"
	"CREATE TABLE transfer_requests_new("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES products(id),"
	"  from_depot TEXT NOT NULL REFERENCES depots(code),"
	"  to_depot TEXT NOT NULL REFERENCES depots(code),"
	"  order_id INTEGER,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','sent','received','cancelled')),"
	"  created_ts INTEGER NOT NULL,"
	"  requested_by TEXT,"
	"  sent_event_id INTEGER REFERENCES events(id),"
	"  received_event_id INTEGER REFERENCES events(id),"
	"  CHECK (from_depot <> to_depot));"
	"INSERT INTO transfer_requests_new(id, product_id, from_depot, to_depot, order_id, state,"
	"  created_ts, requested_by, sent_event_id)"
	"  SELECT id, product_id, from_depot, to_depot, order_id, state, created_ts, requested_by,"
	"  sent_event_id FROM transfer_requests;"
	"DROP TABLE transfer_requests;"
	"ALTER TABLE transfer_requests_new RENAME TO transfer_requests;"
	"CREATE INDEX transfer_requests_open ON transfer_requests(from_depot, to_depot, product_id)"
	"  WHERE state = 'open';"
	"CREATE INDEX transfer_requests_sent ON transfer_requests(sent_event_id) WHERE state = 'sent';",

	/* The catalogue maintained at the hub (issue 18, wms_catalog_central.h):
	 * the rows a depot holds from the hub (read-only there), with the hub's
	 * sequence that last set them, and how far the depot has pulled (stored
	 * in the same transaction as the rows it applied). */
	"CREATE TABLE catalog_central("
	"  kind TEXT NOT NULL CHECK (kind IN ('product','customer','user')),"
	"  code TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (kind, code));"
	"CREATE TABLE catalog_pulled(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);",
	/* every transfer in `wms transfer list` (wms_transfer.h): a request
	 * cancelled by whom, when and why; the transfer_out events found
	 * without reading the whole ledger (a partial index: only transfers
	 * are in it); a device's consignments found by the device (a transfer
	 * consignment's device is not allocated to an order meanwhile) */
	"ALTER TABLE transfer_requests ADD COLUMN cancelled_ts INTEGER;"
	"ALTER TABLE transfer_requests ADD COLUMN cancelled_by TEXT;"
	"ALTER TABLE transfer_requests ADD COLUMN cancel_reason TEXT;"
	"CREATE INDEX events_transfer_out ON events(device_id) WHERE type = 'transfer_out';"
	"CREATE INDEX consignment_devices_by_device ON consignment_devices(device_id);",
	/*
	 * Counters kept in step with the tables they count (for /metrics, which
	 * must not read every row of a 10M-order store): scans by station and
	 * outcome, ledger events by type, orders by status, outbox jobs not purged
	 * by kind and state.  The view tallies_recount is the one definition of
	 * what they count: the migration fills the table from it, `wms db check`
	 * compares the two (wms_tallies.h).
	 */
	"CREATE TABLE tallies("
	"  family TEXT NOT NULL,"
	"  k1 TEXT NOT NULL,"
	"  k2 TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (family, k1, k2)) WITHOUT ROWID;"
	"CREATE VIEW tallies_recount(family, k1, k2, n) AS"
	"  SELECT 'scans', station, CASE WHEN result IS NULL THEN 'pending'"
	"    WHEN event_id IS NOT NULL THEN 'ok' ELSE 'refused' END, count(*) FROM scan_journal GROUP BY 2, 3"
	"  UNION ALL SELECT 'events', type, '', count(*) FROM events GROUP BY 2"
	"  UNION ALL SELECT 'orders', status, '', count(*) FROM orders GROUP BY 2"
	"  UNION ALL SELECT 'outbox', kind, state, count(*) FROM outbox WHERE purged = 0 GROUP BY 2, 3;"
	"INSERT INTO tallies SELECT * FROM tallies_recount;"
	"CREATE TRIGGER tallies_scans_insert AFTER INSERT ON scan_journal BEGIN"
	"  INSERT INTO tallies VALUES('scans', NEW.station,"
	" CASE WHEN NEW.result IS NULL THEN 'pending'"
	" WHEN NEW.event_id IS NOT NULL THEN 'ok' ELSE 'refused' END, 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_scans_update AFTER UPDATE OF station, result, event_id ON scan_journal BEGIN"
	"  INSERT INTO tallies VALUES('scans', OLD.station,"
	" CASE WHEN OLD.result IS NULL THEN 'pending'"
	" WHEN OLD.event_id IS NOT NULL THEN 'ok' ELSE 'refused' END, -1)"
	" ON CONFLICT DO UPDATE SET n = n - 1;"
	"  INSERT INTO tallies VALUES('scans', NEW.station,"
	" CASE WHEN NEW.result IS NULL THEN 'pending'"
	" WHEN NEW.event_id IS NOT NULL THEN 'ok' ELSE 'refused' END, 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_scans_delete AFTER DELETE ON scan_journal BEGIN"
	"  INSERT INTO tallies VALUES('scans', OLD.station,"
	" CASE WHEN OLD.result IS NULL THEN 'pending'"
	" WHEN OLD.event_id IS NOT NULL THEN 'ok' ELSE 'refused' END, -1)"
	" ON CONFLICT DO UPDATE SET n = n - 1; END;"
	"CREATE TRIGGER tallies_events_insert AFTER INSERT ON events BEGIN"
	"  INSERT INTO tallies VALUES('events', NEW.type, '', 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_orders_insert AFTER INSERT ON orders BEGIN"
	"  INSERT INTO tallies VALUES('orders', NEW.status, '', 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_orders_update AFTER UPDATE OF status ON orders"
	"  WHEN OLD.status IS NOT NEW.status BEGIN"
	"  INSERT INTO tallies VALUES('orders', OLD.status, '', -1)"
	" ON CONFLICT DO UPDATE SET n = n - 1;"
	"  INSERT INTO tallies VALUES('orders', NEW.status, '', 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_orders_delete AFTER DELETE ON orders BEGIN"
	"  INSERT INTO tallies VALUES('orders', OLD.status, '', -1)"
	" ON CONFLICT DO UPDATE SET n = n - 1; END;"
	"CREATE TRIGGER tallies_outbox_insert AFTER INSERT ON outbox WHEN NEW.purged = 0 BEGIN"
	"  INSERT INTO tallies VALUES('outbox', NEW.kind, NEW.state, 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_outbox_update_old AFTER UPDATE OF kind, state, purged ON outbox"
	"  WHEN OLD.purged = 0 BEGIN"
	"  INSERT INTO tallies VALUES('outbox', OLD.kind, OLD.state, -1)"
	" ON CONFLICT DO UPDATE SET n = n - 1; END;"
	"CREATE TRIGGER tallies_outbox_update_new AFTER UPDATE OF kind, state, purged ON outbox"
	"  WHEN NEW.purged = 0 BEGIN"
	"  INSERT INTO tallies VALUES('outbox', NEW.kind, NEW.state, 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tallies_outbox_delete AFTER DELETE ON outbox WHEN OLD.purged = 0 BEGIN"
	"  INSERT INTO tallies VALUES('outbox', OLD.kind, OLD.state, -1)"
	" ON CONFLICT DO UPDATE SET n = n - 1; END;",
	/* a transfer consignment linked to the transfer request it answers
	 * (wms_transfer.h): made for a device of the request's product between
	 * its depots, it is listed as that request, and its device's transfer_out
	 * answers that request rather than the oldest open one */
	"ALTER TABLE consignments ADD COLUMN transfer_request INTEGER REFERENCES transfer_requests(id);"
	"CREATE INDEX consignments_by_transfer_request ON consignments(transfer_request)"
	"  WHERE transfer_request IS NOT NULL;",
	/*
	 * One trigger per event row instead of three (issue 16): every trigger
	 * SQLite fires is a sub-program with a frame of its own, entered for
	 * every row even when its WHEN clause is false, and the three were most
	 * of the cost of appending an event.  The same rules, in the same words:
	 * a row without its 32-byte hash (written around the ledger) and a
	 * recon_approve without an open run whose every step passed are refused,
	 * and the events counter counts the row.  A RAISE(ABORT) in an AFTER
	 * trigger undoes its statement as one in a BEFORE trigger does: the row
	 * is not written.  The gate reads only the reconditioning tables.
	 */
	"DROP TRIGGER events_hashed;"
	"DROP TRIGGER events_recon_approve_gate;"
	"DROP TRIGGER tallies_events_insert;"
	"CREATE TRIGGER events_insert AFTER INSERT ON events BEGIN"
	"  SELECT RAISE(ABORT, 'an event needs its hash: events are written only by the ledger')"
	"    WHERE NEW.hash IS NULL OR length(NEW.hash) <> 32;"
	"  SELECT RAISE(ABORT, 'recon_approve refused: the device has no open reconditioning run"
	" whose every checklist step passed')"
	"    WHERE NEW.type = 'recon_approve' AND NOT EXISTS ("
	"    SELECT 1 FROM recon_runs r JOIN recon_checklists c ON c.id = r.checklist_id"
	"    WHERE r.device_id = NEW.device_id AND r.outcome IS NULL AND c.steps > 0"
	"      AND c.steps = (SELECT count(*) FROM recon_results x WHERE x.run_id = r.id AND x.result = 'pass'"
	"        AND x.id = (SELECT max(y.id) FROM recon_results y WHERE y.run_id = r.id AND y.step = x.step)));"
	"  INSERT INTO tallies VALUES('events', NEW.type, '', 1)"
	" ON CONFLICT DO UPDATE SET n = n + 1; END;",
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
