/*
 * demo.c - the demonstration data set (see wms_demo.h).
 *
 * Two phases.  First a generator simulates two years of the centre in
 * memory: reference data, order demand (weighted by customer kind, product,
 * season and the roll-out of the first months), stock kept per product and
 * depot (receipt batches when a shelf runs dry, buffer stores at customer
 * sites), deliveries placed on the working day that gives the lead time
 * drawn for the order, rentals, exchanges, returns and reconditioning.  Each
 * device's commands are produced in time order.  Everything after `end` is
 * cut off (so late orders are still open at the end, as in reality), the
 * device count is brought to the requested figure, and the commands are
 * sorted by time.  Then, in one batch, the reference data and every command
 * go through the same catalogue and ledger functions an operator uses.
 *
 * Serials, order numbers and patient pseudonyms are assigned when their
 * first command is applied, so that numbers grow with time.  A private
 * splitmix64 generator makes the data set a function of the seed alone.
 */
#include "wms_demo.h"

#include "wms_catalog.h"
#include "wms_depot.h"
#include "wms_leadtime.h"
#include "wms_lifecycle.h"
#include "wms_ledger.h"
#include "wms_rules.h"
#include "wms_time.h"
#include "store_sql.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN 60
#define HOUR 3600
#define DAY 86400

#define CUTOFF_MINUTE (15 * 60)

enum { DEPOT_ML, DEPOT_SK, N_DEPOT };
enum { MODE_HOME, MODE_PICKUP, MODE_UNIT, MODE_BUFFER };
enum { KIND_REGION, KIND_MUNI };

static const char *const depot_names[N_DEPOT] = { "ML", "SK" };   /* depot codes (wms_depot.h) */

/* ---- reference data -------------------------------------------------- */

struct product_def {
	const char *code, *name_sv, *name_en, *category;
	bool training;
	const char *serial_prefix;
	const char *gtin12[2];     /* GTIN-13 without its check digit; [1] may be NULL */
	int w_region, w_muni;      /* order weights per customer kind */
	double late_p;             /* share delivered after 7 working days */
	double rent_days, rent_sigma;  /* log-normal rental period: median days, sigma */
	int batch;                 /* receipt batch at Mölndal for 3,000 devices */
};

enum { P_BPM, P_SCALE, P_PULSOX, P_GLUCO, P_HBA1C, P_SPIRO, P_DISP, P_TILLSYN, P_LARM, P_LOCK,
       N_PROD };

static const struct product_def products[N_PROD] = {
	{ "BPM", "Digital blodtrycksmätare", "Digital blood-pressure monitor", "HoS", false,
	  "BT2", { "735004510101", "735004510102" }, 40, 2, 0.25, 420, 0.8, 30 },
	{ "SCALE", "Digital våg", "Digital scale", "HoS", false,
	  "VG5", { "735004510201", NULL }, 12, 4, 0.015, 540, 0.8, 10 },
	{ "PULSOX", "Pulsoximeter", "Pulse oximeter", "HoS", false,
	  "PX1", { "735004510301", "735004510302" }, 16, 0, 0.015, 360, 0.8, 14 },
	{ "GLUCO", "Glukosmätare", "Blood glucose meter", "HoS", false,
	  "GL4", { "735004510401", NULL }, 10, 0, 0.015, 540, 0.8, 10 },
	{ "HBA1C", "HbA1c-mätare", "HbA1c analyser", "HoS", false,
	  "HB9", { "735004510501", NULL }, 4, 0, 0.015, 720, 0.6, 6 },
	{ "SPIRO", "Spirometer", "Spirometer", "HoS", false,
	  "SP3", { "735004510601", NULL }, 8, 0, 0.015, 300, 0.8, 8 },
	{ "MEDDISP", "Läkemedelsautomat", "Medication dispenser", "HoS", true,
	  "LA7", { "735004510701", "735004510702" }, 5, 22, 0.35, 900, 0.7, 8 },
	{ "TILLSYN", "Digital tillsyn", "Digital supervision (sensor/camera)", "SoL", false,
	  "TS2", { "735004510801", NULL }, 0, 28, 0.015, 800, 0.8, 10 },
	{ "GPSLARM", "Mobilt trygghetslarm", "Mobile safety alarm (GPS)", "SoL", false,
	  "GT8", { "735004510901", "735004510902" }, 0, 30, 0.015, 850, 0.8, 12 },
	{ "LOCK", "Digitalt lås", "Digital lock", "SoL", false,
	  "DL6", { "735004511001", NULL }, 0, 14, 0.015, 1200, 0.6, 6 },
};

struct customer_def {
	const char *code, *name;
	int kind, area, depot, weight;
};

/* Areas: 0 Göteborg/Mölndal, 1 Kungälv/Stenungsund, 2 Borås, 3 Trollhättan/
 * Uddevalla, 4 Skaraborg (served from Skövde), 5 Alingsås/Lerum/Partille. */
static const struct customer_def customers[] = {
	{ "VGR-VC-MOLNDAL", "Vårdcentralen Mölndal", KIND_REGION, 0, DEPOT_ML, 3 },
	{ "VGR-VC-LINDOME", "Vårdcentralen Lindome", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-VC-KALLERED", "Vårdcentralen Kållered", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-VC-MAJORNA", "Vårdcentralen Majorna", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-VC-HJALLBO", "Vårdcentralen Hjällbo", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-VC-KROKSLATT", "Vårdcentralen Krokslätt", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-VC-PARTILLE", "Vårdcentralen Partille", KIND_REGION, 5, DEPOT_ML, 2 },
	{ "VGR-VC-LERUM", "Vårdcentralen Lerum", KIND_REGION, 5, DEPOT_ML, 2 },
	{ "VGR-VC-ALINGSAS", "Vårdcentralen Alingsås", KIND_REGION, 5, DEPOT_ML, 2 },
	{ "VGR-VC-KUNGALV", "Vårdcentralen Kungälv", KIND_REGION, 1, DEPOT_ML, 2 },
	{ "VGR-VC-STENUNGSUND", "Vårdcentralen Stenungsund", KIND_REGION, 1, DEPOT_ML, 1 },
	{ "VGR-VC-NODINGE", "Vårdcentralen Nödinge", KIND_REGION, 1, DEPOT_ML, 1 },
	{ "VGR-VC-NORRBY", "Vårdcentralen Norrby, Borås", KIND_REGION, 2, DEPOT_ML, 2 },
	{ "VGR-VC-ULRICEHAMN", "Vårdcentralen Ulricehamn", KIND_REGION, 2, DEPOT_ML, 1 },
	{ "VGR-VC-TROLLHATTAN", "Vårdcentralen Trollhättan", KIND_REGION, 3, DEPOT_ML, 2 },
	{ "VGR-VC-VANERSBORG", "Vårdcentralen Vänersborg", KIND_REGION, 3, DEPOT_ML, 1 },
	{ "VGR-VC-UDDEVALLA", "Vårdcentralen Uddevalla", KIND_REGION, 3, DEPOT_ML, 2 },
	{ "VGR-VC-SKOVDE", "Vårdcentralen Skövde", KIND_REGION, 4, DEPOT_SK, 2 },
	{ "VGR-VC-LIDKOPING", "Vårdcentralen Lidköping", KIND_REGION, 4, DEPOT_SK, 1 },
	{ "VGR-VC-FALKOPING", "Vårdcentralen Falköping", KIND_REGION, 4, DEPOT_SK, 1 },
	{ "VGR-VC-TIBRO", "Vårdcentralen Tibro", KIND_REGION, 4, DEPOT_SK, 1 },
	{ "VGR-SU-KARDIO", "Sahlgrenska, Kardiologmottagningen", KIND_REGION, 0, DEPOT_ML, 5 },
	{ "VGR-SU-LUNG", "Sahlgrenska, Lungmottagningen", KIND_REGION, 0, DEPOT_ML, 3 },
	{ "VGR-SU-DIABETES", "Sahlgrenska, Diabetesmottagningen", KIND_REGION, 0, DEPOT_ML, 3 },
	{ "VGR-SU-OSTRA", "Östra sjukhuset, Medicinmottagningen", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-SU-MOLNDAL", "Mölndals sjukhus, Geriatriska mottagningen", KIND_REGION, 0, DEPOT_ML, 2 },
	{ "VGR-SAS-MED", "SÄS Borås, Medicinmottagningen", KIND_REGION, 2, DEPOT_ML, 4 },
	{ "VGR-NU-HJARTA", "NÄL, Hjärtmottagningen", KIND_REGION, 3, DEPOT_ML, 3 },
	{ "VGR-SKAS-MED", "Skaraborgs sjukhus Skövde, Medicinkliniken", KIND_REGION, 4, DEPOT_SK, 3 },
	{ "VGR-KS-MED", "Kungälvs sjukhus, Medicinmottagningen", KIND_REGION, 1, DEPOT_ML, 2 },
	{ "VGR-AL-MED", "Alingsås lasarett, Medicinmottagningen", KIND_REGION, 5, DEPOT_ML, 2 },
	{ "KOM-BORAS", "Borås stad", KIND_MUNI, 2, DEPOT_ML, 4 },
	{ "KOM-KUNGALV", "Kungälvs kommun", KIND_MUNI, 1, DEPOT_ML, 3 },
	{ "KOM-MOLNDAL", "Mölndals stad", KIND_MUNI, 0, DEPOT_ML, 3 },
	{ "KOM-GOTEBORG", "Göteborgs stad", KIND_MUNI, 0, DEPOT_ML, 6 },
	{ "KOM-PARTILLE", "Partille kommun", KIND_MUNI, 5, DEPOT_ML, 2 },
	{ "KOM-HARRYDA", "Härryda kommun", KIND_MUNI, 0, DEPOT_ML, 2 },
	{ "KOM-LERUM", "Lerums kommun", KIND_MUNI, 5, DEPOT_ML, 2 },
	{ "KOM-ALINGSAS", "Alingsås kommun", KIND_MUNI, 5, DEPOT_ML, 2 },
	{ "KOM-ALE", "Ale kommun", KIND_MUNI, 1, DEPOT_ML, 1 },
	{ "KOM-STENUNGSUND", "Stenungsunds kommun", KIND_MUNI, 1, DEPOT_ML, 1 },
	{ "KOM-TJORN", "Tjörns kommun", KIND_MUNI, 1, DEPOT_ML, 1 },
	{ "KOM-LILLAEDET", "Lilla Edets kommun", KIND_MUNI, 1, DEPOT_ML, 1 },
	{ "KOM-TROLLHATTAN", "Trollhättans stad", KIND_MUNI, 3, DEPOT_ML, 2 },
	{ "KOM-VANERSBORG", "Vänersborgs kommun", KIND_MUNI, 3, DEPOT_ML, 2 },
	{ "KOM-UDDEVALLA", "Uddevalla kommun", KIND_MUNI, 3, DEPOT_ML, 2 },
	{ "KOM-ULRICEHAMN", "Ulricehamns kommun", KIND_MUNI, 2, DEPOT_ML, 1 },
	{ "KOM-SKOVDE", "Skövde kommun", KIND_MUNI, 4, DEPOT_SK, 2 },
	{ "KOM-LIDKOPING", "Lidköpings kommun", KIND_MUNI, 4, DEPOT_SK, 1 },
	{ "KOM-FALKOPING", "Falköpings kommun", KIND_MUNI, 4, DEPOT_SK, 1 },
	{ "KOM-MARIESTAD", "Mariestads kommun", KIND_MUNI, 4, DEPOT_SK, 1 },
};
#define N_CUST ((int)(sizeof customers / sizeof customers[0]))

/* The demo region's utlämningsställen (Västra Götaland), with their street
 * address, postcode and coordinates: a pickup-point registry (carrier
 * "PostNord") so that `wms pickup-point nearest` works out of the box. */
struct pickup_def {
	const char *code, *name;
	int area;
	const char *street, *postcode, *city;
	double lat, lon;
};

static const struct pickup_def pickups[] = {
	{ "PP-LINDOME", "ICA Nära Lindome postombud", 0, "Almåsgången 1", "43731", "Lindome", 57.5756, 12.0760 },
	{ "PP-KALLERED", "ICA Supermarket Kållered postombud", 0, "Streteredsvägen 2", "42830", "Kållered", 57.6103, 12.0508 },
	{ "PP-MOLNDAL", "ICA Kvantum Mölndal postombud", 0, "Göteborgsvägen 97", "43130", "Mölndal", 57.6555, 12.0138 },
	{ "PP-MAJORNA", "Coop Majorna postombud", 0, "Karl Johansgatan 20", "41459", "Göteborg", 57.6936, 11.9196 },
	{ "PP-KUNGALV", "Coop Kungälv postombud", 1, "Västra Gatan 61", "44231", "Kungälv", 57.8707, 11.9805 },
	{ "PP-STENUNGSUND", "ICA Nära Stenungsund postombud", 1, "Strandvägen 15", "44430", "Stenungsund", 58.0705, 11.8183 },
	{ "PP-NODINGE", "ICA Nära Nödinge postombud", 1, "Ale torg 7", "44930", "Nödinge", 57.8942, 12.0607 },
	{ "PP-TJORN", "ICA Nära Skärhamn postombud", 1, "Södra Hamnen 2", "47132", "Skärhamn", 57.9893, 11.5476 },
	{ "PP-BORAS", "Pressbyrån Borås Resecentrum postombud", 2, "Järnvägsgatan 5", "50338", "Borås", 57.7199, 12.9355 },
	{ "PP-SANDARED", "ICA Nära Sandared postombud", 2, "Sandareds torg 1", "51830", "Sandared", 57.7104, 12.7930 },
	{ "PP-ULRICEHAMN", "Coop Ulricehamn postombud", 2, "Storgatan 20", "52330", "Ulricehamn", 57.7916, 13.4142 },
	{ "PP-TROLLHATTAN", "ICA Maxi Trollhättan postombud", 3, "Överby köpcentrum", "46170", "Trollhättan", 58.2986, 12.3347 },
	{ "PP-VANERSBORG", "Coop Vänersborg postombud", 3, "Edsgatan 8", "46230", "Vänersborg", 58.3807, 12.3234 },
	{ "PP-UDDEVALLA", "Hemköp Uddevalla postombud", 3, "Kungsgatan 17", "45130", "Uddevalla", 58.3498, 11.9381 },
	{ "PP-SKOVDE", "ICA Kvantum Skövde postombud", 4, "Mariestadsvägen 18", "54146", "Skövde", 58.3987, 13.8561 },
	{ "PP-TIBRO", "ICA Nära Tibro postombud", 4, "Centrumgatan 4", "54330", "Tibro", 58.4245, 14.1619 },
	{ "PP-LIDKOPING", "Coop Lidköping postombud", 4, "Skaragatan 10", "53130", "Lidköping", 58.5035, 13.1577 },
	{ "PP-FALKOPING", "ICA Supermarket Falköping postombud", 4, "Storgatan 33", "52143", "Falköping", 58.1745, 13.5507 },
	{ "PP-MARIESTAD", "ICA Nära Mariestad postombud", 4, "Nygatan 20", "54230", "Mariestad", 58.7097, 13.8237 },
	{ "PP-LERUM", "ICA Supermarket Lerum postombud", 5, "Göteborgsvägen 6", "44330", "Lerum", 57.7705, 12.2690 },
	{ "PP-PARTILLE", "Coop Partille postombud", 5, "Gamla Kronvägen 4", "43330", "Partille", 57.7395, 12.1064 },
	{ "PP-ALINGSAS", "ICA Nära Alingsås postombud", 5, "Kungsgatan 28", "44130", "Alingsås", 57.9301, 12.5334 },
};
#define N_PICKUP ((int)(sizeof pickups / sizeof pickups[0]))

/* Postcodes of the region where patients live, beside the pickup points'
 * own: the coordinates `wms pickup-point nearest` measures from. */
static const struct { const char *code; double lat, lon; } postcodes[] = {
	{ "41101", 57.7065, 11.9670 }, { "41705", 57.7209, 11.9400 }, { "42130", 57.6519, 11.9110 },
	{ "42430", 57.7953, 12.0482 }, { "43530", 57.6590, 12.1180 }, { "43139", 57.6480, 12.0230 },
	{ "41320", 57.6880, 11.9510 }, { "44235", 57.8650, 11.9750 }, { "44440", 58.0610, 11.8300 },
	{ "50430", 57.7300, 12.9200 }, { "50765", 57.7500, 12.9600 }, { "46150", 58.2830, 12.2890 },
	{ "45160", 58.3500, 11.9250 }, { "54140", 58.3900, 13.8500 }, { "53140", 58.5000, 13.1600 },
	{ "44150", 57.9250, 12.5200 }, { "44332", 57.7680, 12.2750 }, { "43340", 57.7400, 12.1100 },
};

/* The ordering units' addresses, by area (0 Göteborg/Mölndal, 1 Kungälv,
 * 2 Borås, 3 Trollhättan, 4 Skövde, 5 Alingsås): the delivery note's. */
static const struct { const char *street, *postcode, *city; } areas[] = {
	{ "Göteborgsvägen", "43130", "Mölndal" }, { "Färjevägen", "44231", "Kungälv" },
	{ "Allégatan", "50332", "Borås" }, { "Drottninggatan", "46132", "Trollhättan" },
	{ "Hertig Johans gata", "54130", "Skövde" }, { "Kungsgatan", "44130", "Alingsås" },
};

struct buffer_def {
	const char *code, *name, *customer;
	int depot;
	int prod[3];               /* products kept there, -1 ends */
};

static const struct buffer_def buffers[] = {
	{ "BUF-SU-KARDIO", "Buffertförråd Sahlgrenska Kardiologmottagningen", "VGR-SU-KARDIO",
	  DEPOT_ML, { P_BPM, P_PULSOX, -1 } },
	{ "BUF-SAS-MED", "Buffertförråd SÄS Borås Medicinmottagningen", "VGR-SAS-MED",
	  DEPOT_ML, { P_BPM, -1, -1 } },
	{ "BUF-SKAS-MED", "Buffertförråd Skaraborgs sjukhus Medicinkliniken", "VGR-SKAS-MED",
	  DEPOT_SK, { P_BPM, P_PULSOX, -1 } },
	{ "BUF-BORAS-HT", "Buffertförråd Borås stad hemtjänst", "KOM-BORAS",
	  DEPOT_ML, { P_LARM, P_TILLSYN, -1 } },
	{ "BUF-KUNGALV-HT", "Buffertförråd Kungälvs kommun hemtjänst", "KOM-KUNGALV",
	  DEPOT_ML, { P_LARM, -1, -1 } },
};
#define N_BUF ((int)(sizeof buffers / sizeof buffers[0]))

#define SHELVES_ML 4          /* shelves per product at Mölndal, 1 at Skövde */

/* Reasons, notes and who did what: static text only. */
static const char *const late_notes_bpm[] = {
	"Restnoterad hos leverantören, ny leverans väntas",
	"Slut i lager, väntar på inleverans",
};
static const char *const late_notes_disp[] = {
	"Leverans samordnad med utbildning av personalen",
	"Enheten har inte bokat utbildning än",
};
static const char *const late_notes_other[] = {
	"Fel leveransadress, ny adress från enheten",
	"Patienten ej anträffbar vid leveransförsöket",
	"Utlämningsstället tillfälligt stängt, omdirigerad",
};
static const char *const exchange_reasons[] = {
	"Startar inte", "Visar felkod", "Batteriet laddar inte", "Ingen uppkoppling",
	"Manschetten läcker", "Skadad display",
};
static const char *const repair_reasons[] = {
	"Batteriet håller inte laddning", "Kalibreringsfel", "Trasig laddport", "Firmwarefel",
};
static const char *const scrap_reasons[] = {
	"Spricka i höljet", "Fuktskada", "Ej reparerbar", "Svullet batteri",
};
static const char *const cancel_reasons[] = {
	"Behovet har upphört", "Dubbelbeställning", "Fel produkt beställd",
	"Patienten har flyttat från regionen",
};
static const char *const worker_actors[N_DEPOT][4] = {
	{ "lg01", "lg02", "lg03", "lg04" }, { "lg11", "lg12", "lg11", "lg12" },
};
static const char *const tech_actors[] = { "tk01", "tk02", "tk03" };
static const char *const service_actors[] = { "ks01", "ks02" };
static const char *const st_goods[N_DEPOT] = { "ML-INLEV-1", "SK-INLEV-1" };
static const char *const st_shelf[N_DEPOT] = { "ML-LAGER-1", "SK-LAGER-1" };
static const char *const st_pick[N_DEPOT] = { "ML-PLOCK-1", "SK-PLOCK-1" };
static const char *const st_pack[N_DEPOT] = { "ML-PACK-1", "SK-PACK-1" };

/* ---- the generator's state -------------------------------------------- */

struct dcmd {                  /* one command, by index into the tables below */
	wms_time at;
	uint32_t seq;              /* generation order: the tie-break of equal times */
	uint8_t type;
	int32_t dev, ord;          /* -1 = none */
	int16_t loc;               /* index into locs, -1 = none */
	const char *reason, *station, *actor;
};

struct ddev {
	uint8_t prod, depot, gtin;
	int lot;                   /* batch number */
	wms_day manufactured;
	wms_time last;             /* time of its latest command (ordering guard) */
	char serial[24];           /* assigned when its receive is applied */
	long long id;              /* its device id, from its receive (the gate's records) */
};

struct dord {
	int cust, prod, mode, pickup, depot;
	int patient;
	int exchange_of;           /* device, -1 */
	wms_day requested;         /* 0 = none */
	wms_time reg;
	char number[24];           /* assigned when its creation is applied */
};

struct loc {
	char code[32];
	char name[96];
	const char *kind;
	int depot;                 /* -1 = none */
	const char *customer;
};

struct pool {                  /* devices free for use from a time on */
	int *dev;
	wms_time *avail;
	int n, cap;
	bool heap;                 /* a min-heap by avail (large stores; see pool_take) */
};

struct gen {
	uint64_t rng;
	int rc;                    /* sticky: first failure */
	const struct wms_calendar *cal;
	wms_time end;
	wms_day day0, day_end;
	double scale;              /* devices / 3000 */
	char gtin[N_PROD][2][16];

	struct loc *locs;
	int n_locs;
	size_t cap_locs;
	int shelf0[N_PROD][N_DEPOT], n_shelf[N_PROD][N_DEPOT];
	int pickup0, buffer0;

	struct dcmd *cmd;
	size_t n_cmd, cap_cmd;
	uint32_t seq;
	struct ddev *dev;
	int n_dev;
	size_t cap_dev;
	struct dord *ord;
	int n_ord;
	size_t cap_ord;

	struct pool stock[N_PROD][N_DEPOT];
	struct pool bstock[N_BUF][N_PROD];
	int last_patient[N_CUST];
	int n_patients;
	int n_batches;
};

/* ---- random numbers: splitmix64 -------------------------------------- */

static uint64_t rnd_u64(struct gen *g)
{
	uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double rnd_unit(struct gen *g)          /* [0, 1) */
{
	return (double)(rnd_u64(g) >> 11) * (1.0 / 9007199254740992.0);
}

static int rnd_below(struct gen *g, int n)     /* 0 .. n-1 */
{
	return n <= 1 ? 0 : (int)(rnd_u64(g) % (uint64_t)n);
}

static bool chance(struct gen *g, double p)
{
	return rnd_unit(g) < p;
}

static int rnd_between(struct gen *g, int lo, int hi)   /* lo .. hi inclusive */
{
	return lo + rnd_below(g, hi - lo + 1);
}

static int rnd_weighted(struct gen *g, const int *w, int n)
{
	int total = 0, r;

	for (int i = 0; i < n; i++)
		total += w[i];
	r = rnd_below(g, total);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

static double rnd_lognormal(struct gen *g, double median, double sigma)
{
	double u1 = 1.0 - rnd_unit(g), u2 = rnd_unit(g);
	double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);

	return median * exp(sigma * z);
}

#define PICK(g, arr) ((arr)[rnd_below((g), (int)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- growing arrays ---------------------------------------------------- */

/* p grown to hold need elements (capacity doubled); NULL with g->rc set on failure. */
static void *grow(struct gen *g, void *p, size_t elem, size_t need, size_t *cap)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return p;
	n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	q = realloc(p, n * elem);
	if (q == NULL) {
		g->rc = WMS_ENOMEM;
		return NULL;
	}
	*cap = n;
	return q;
}

/* ---- calendar helpers ---------------------------------------------------- */

static wms_day day_of(wms_time t)
{
	return wms_local_day(t, NULL);
}

/* Day d at a random minute in [from, to), plus random seconds. */
static wms_time at_between(struct gen *g, wms_day d, int from_min, int to_min)
{
	return wms_local_to_utc(d, from_min + rnd_below(g, to_min - from_min)) + rnd_below(g, 60);
}

static wms_day workday_on_or_after(const struct gen *g, wms_day d)
{
	return wms_calendar_is_workday(g->cal, d) ? d : wms_calendar_next_workday(g->cal, d);
}

static wms_day prev_workday(const struct gen *g, wms_day d)
{
	do
		d--;
	while (!wms_calendar_is_workday(g->cal, d));
	return d;
}

/* ---- emitting commands ------------------------------------------------- */

static void emit(struct gen *g, wms_time at, enum wms_event_type type, int dev, int ord, int loc,
                 const char *reason, const char *station, const char *actor)
{
	struct dcmd *c;

	if (g->rc)
		return;
	if (dev >= 0) {
		/* Every device's history must run forward; a violation is a generator bug. */
		if (at < g->dev[dev].last) {
			g->rc = WMS_EINVAL;
			return;
		}
		g->dev[dev].last = at;
	}
	if ((c = grow(g, g->cmd, sizeof *g->cmd, g->n_cmd + 1, &g->cap_cmd)) == NULL)
		return;
	g->cmd = c;
	c = &g->cmd[g->n_cmd++];
	*c = (struct dcmd){ at, g->seq++, (uint8_t)type, dev, ord, (int16_t)loc, reason, station, actor };
}

static int new_device(struct gen *g, int prod, int depot, int gtin, int lot, wms_day made)
{
	struct ddev *d;

	if (g->rc || (d = grow(g, g->dev, sizeof *g->dev, (size_t)g->n_dev + 1, &g->cap_dev)) == NULL)
		return -1;
	g->dev = d;
	d = &g->dev[g->n_dev];
	memset(d, 0, sizeof *d);
	d->prod = (uint8_t)prod;
	d->depot = (uint8_t)depot;
	d->gtin = (uint8_t)gtin;
	d->lot = lot;
	d->manufactured = made;
	d->last = INT64_MIN;
	return g->n_dev++;
}

static int new_order(struct gen *g, const struct dord *tmpl)
{
	struct dord *q;

	if (g->rc || (q = grow(g, g->ord, sizeof *g->ord, (size_t)g->n_ord + 1, &g->cap_ord)) == NULL)
		return -1;
	g->ord = q;
	g->ord[g->n_ord] = *tmpl;
	g->ord[g->n_ord].number[0] = '\0';
	return g->n_ord++;
}

static void pool_swap(struct pool *p, int i, int j)
{
	int d = p->dev[i];
	wms_time a = p->avail[i];

	p->dev[i] = p->dev[j];
	p->avail[i] = p->avail[j];
	p->dev[j] = d;
	p->avail[j] = a;
}

static void pool_add(struct gen *g, struct pool *p, int dev, wms_time avail)
{
	if (g->rc)
		return;
	if (p->n == p->cap) {
		size_t cap = p->cap ? (size_t)p->cap * 2 : 16;
		int *d = realloc(p->dev, cap * sizeof *d);
		wms_time *a;
		if (d == NULL) {
			g->rc = WMS_ENOMEM;
			return;
		}
		p->dev = d;
		if ((a = realloc(p->avail, cap * sizeof *a)) == NULL) {
			g->rc = WMS_ENOMEM;
			return;
		}
		p->avail = a;
		p->cap = (int)cap;
	}
	p->dev[p->n] = dev;
	p->avail[p->n] = avail;
	p->n++;
	for (int i = p->n - 1; p->heap && i > 0 && p->avail[(i - 1) / 2] > p->avail[i]; i = (i - 1) / 2)
		pool_swap(p, i, (i - 1) / 2);
}

/* The device free longest at time t (first in, first out), removed; -1 if none. */
static int pool_take(struct pool *p, wms_time t)
{
	int best = -1;

	/* a large store's pools hold thousands: the earliest from a heap (equal
	 * times may come out in another order than the scan's, which small demos
	 * keep so that their data stay as they were) */
	if (p->heap) {
		int dev = p->n > 0 && p->avail[0] <= t ? p->dev[0] : -1;
		if (dev < 0)
			return -1;
		pool_swap(p, 0, --p->n);
		for (int i = 0, c; (c = 2 * i + 1) < p->n; i = c) {
			if (c + 1 < p->n && p->avail[c + 1] < p->avail[c])
				c++;
			if (p->avail[i] <= p->avail[c])
				break;
			pool_swap(p, i, c);
		}
		return dev;
	}
	for (int i = 0; i < p->n; i++)
		if (p->avail[i] <= t && (best < 0 || p->avail[i] < p->avail[best]))
			best = i;
	if (best < 0)
		return -1;
	{
		int dev = p->dev[best];
		p->n--;
		p->dev[best] = p->dev[p->n];
		p->avail[best] = p->avail[p->n];
		return dev;
	}
}

static int shelf_for(struct gen *g, int prod, int depot)
{
	return g->shelf0[prod][depot] + rnd_below(g, g->n_shelf[prod][depot]);
}

static int batch_size(const struct gen *g, int prod, int depot)
{
	double base = depot == DEPOT_ML ? products[prod].batch : 3;
	int n = (int)(base * g->scale + 0.5);

	return n < 2 ? 2 : n;
}

/* Receive a batch of n devices on working day `day` and put them on shelves. */
static void receive_batch(struct gen *g, int prod, int depot, wms_day day, int n)
{
	const char *const *workers = worker_actors[depot];
	/* 40 s a device, but a batch of a very large store (--orders 1000000: 8,700
	 * devices) within 12 hours, or it would reach the shelves days after the
	 * orders that wait for it */
	int gap = n * 40 <= 12 * 3600 ? 40 : (12 * 3600 / n > 0 ? 12 * 3600 / n : 1);
	wms_time t0 = at_between(g, day, 7 * 60 + 15, 9 * 60 + 30);
	wms_time t1 = t0 + (wms_time)n * gap + rnd_between(g, 20, 90) * MIN;
	int gtin = products[prod].gtin12[1] && chance(g, 0.4) ? 1 : 0;
	int lot = ++g->n_batches;
	wms_day made = day - rnd_between(g, 25, 200);

	for (int i = 0; i < n; i++) {
		int dev = new_device(g, prod, depot, gtin, lot, made);
		if (dev < 0)
			return;
		wms_time shelved = t1 + (wms_time)i * (gap < 30 ? gap : 30);
		emit(g, t0 + (wms_time)i * gap + rnd_below(g, 20), WMS_EV_RECEIVE, dev, -1, -1, NULL,
		     st_goods[depot], workers[rnd_below(g, 4)]);
		if (chance(g, 0.004)) {
			emit(g, shelved, WMS_EV_SCRAP, dev, -1, -1, "Transportskada vid inleverans",
			     st_goods[depot], workers[rnd_below(g, 4)]);
			continue;
		}
		emit(g, shelved, WMS_EV_MOVE, dev, -1, shelf_for(g, prod, depot), NULL,
		     st_shelf[depot], workers[rnd_below(g, 4)]);
		pool_add(g, &g->stock[prod][depot], dev, shelved);
	}
}

/* A device of prod on a shelf of depot, free at time t (receiving a batch if none is). */
static int take_stock(struct gen *g, int prod, int depot, wms_time t)
{
	int dev = pool_take(&g->stock[prod][depot], t);

	if (dev < 0 && !g->rc) {
		wms_day d = prev_workday(g, day_of(t));
		if (d < g->day0)
			d = workday_on_or_after(g, g->day0);
		receive_batch(g, prod, depot, d, batch_size(g, prod, depot));
		dev = pool_take(&g->stock[prod][depot], t);
	}
	if (dev < 0 && !g->rc)
		g->rc = WMS_EINVAL;     /* cannot happen: the batch arrives before t */
	return dev;
}

/* ---- the lifecycle after delivery -------------------------------------- */

/* Return at t, quarantine, reconditioning and its outcome; back on a shelf if approved. */
static void recondition(struct gen *g, int dev, wms_time t_ret, const char *how, bool faulty)
{
	int prod = g->dev[dev].prod, depot = g->dev[dev].depot;
	const char *tech = PICK(g, tech_actors);
	wms_day d = workday_on_or_after(g, day_of(t_ret));
	double r = rnd_unit(g);
	double p_ok = faulty ? 0.35 : 0.94, p_repair = faulty ? 0.40 : 0.035;
	wms_time t;

	emit(g, t_ret, WMS_EV_RETURN, dev, -1, -1, how, st_goods[depot],
	     worker_actors[depot][rnd_below(g, 4)]);
	d = wms_calendar_add_workdays(g->cal, d, rnd_between(g, 1, 4));
	t = at_between(g, d, 8 * 60, 14 * 60);
	emit(g, t, WMS_EV_RECON_START, dev, -1, -1, NULL, "ML-REKOND-1", tech);
	if (r >= p_ok && r < p_ok + p_repair) {
		t += rnd_between(g, 20, 90) * MIN;
		emit(g, t, WMS_EV_RECON_REPAIR, dev, -1, -1, PICK(g, repair_reasons), "ML-REKOND-1", tech);
		d = wms_calendar_add_workdays(g->cal, d, rnd_between(g, 5, 18));
		t = at_between(g, d, 10 * 60, 14 * 60);
		emit(g, t, WMS_EV_REPAIR_BACK, dev, -1, -1, NULL, "ML-INLEV-1", PICK(g, worker_actors[0]));
		d = wms_calendar_add_workdays(g->cal, d, rnd_between(g, 1, 2));
		t = at_between(g, d, 8 * 60, 14 * 60);
		emit(g, t, WMS_EV_RECON_START, dev, -1, -1, NULL, "ML-REKOND-1", tech);
		r = chance(g, 0.85) ? 0 : 1;
	}
	t += rnd_between(g, 30, 150) * MIN;
	if (r < p_ok) {
		emit(g, t, WMS_EV_RECON_APPROVE, dev, -1, shelf_for(g, prod, depot), NULL, "ML-REKOND-1",
		     tech);
		pool_add(g, &g->stock[prod][depot], dev, t);
	} else {
		emit(g, t, WMS_EV_SCRAP, dev, -1, -1, PICK(g, scrap_reasons), "ML-REKOND-1", tech);
	}
}

static wms_time fulfil(struct gen *g, int o, int dev);

/* The working-hours instant on or after t. */
static wms_time work_instant(struct gen *g, wms_time t)
{
	int minute;
	wms_day d = wms_local_day(t, &minute);

	if (wms_calendar_is_workday(g->cal, d) && minute >= 8 * 60 && minute < 16 * 60)
		return t;
	if (!wms_calendar_is_workday(g->cal, d) || minute >= 16 * 60)
		d = wms_calendar_next_workday(g->cal, d);
	return at_between(g, d, 8 * 60, 11 * 60);
}

/* Device delivered at t_del for order o: rental, perhaps an exchange, return. */
static void after_delivery(struct gen *g, int dev, int o, wms_time t_del)
{
	const struct product_def *p = &products[g->dev[dev].prod];
	wms_time t_rent, t_ret;

	if (!chance(g, 0.97)) {
		/* Delivered but never rented: most come back unused. */
		if (chance(g, 0.6)) {
			wms_day d = wms_calendar_add_workdays(g->cal, workday_on_or_after(g, day_of(t_del)),
			                                      rnd_between(g, 2, 8));
			if (wms_local_to_utc(d, 0) < g->end)
				recondition(g, dev, at_between(g, d, 9 * 60, 15 * 60),
				            "Behövdes inte, returnerad via enheten", false);
		}
		return;
	}
	t_rent = t_del + rnd_between(g, 2, 45) * MIN;
	emit(g, t_rent, WMS_EV_RENT, dev, o, -1, NULL, "system", "hyra");
	t_ret = work_instant(g, t_rent + (wms_time)(rnd_lognormal(g, p->rent_days, p->rent_sigma) * DAY));
	if (t_ret <= t_rent)
		t_ret = t_rent + HOUR;

	if (chance(g, 0.0175)) {
		wms_time lo = t_rent + 2 * DAY, hi = (t_ret < g->end ? t_ret : g->end) - HOUR, t_x;
		if (hi > lo) {
			t_x = work_instant(g, lo + (wms_time)(rnd_unit(g) * (double)(hi - lo)));
			if (t_x < hi) {
				struct dord n = g->ord[o];
				int o2, prev_mode = n.mode;
				wms_time t_del2, t_ex = t_x + rnd_between(g, 5, 40) * MIN;

				n.reg = t_x;
				n.exchange_of = dev;
				n.requested = 0;
				n.mode = prev_mode == MODE_BUFFER ? MODE_UNIT
				       : prev_mode == MODE_PICKUP && chance(g, 0.5) ? MODE_HOME : prev_mode;
				if (n.mode != MODE_PICKUP)
					n.pickup = -1;
				o2 = new_order(g, &n);
				if (o2 < 0)
					return;
				t_del2 = fulfil(g, o2, -1);
				emit(g, t_ex, WMS_EV_EXCHANGE, dev, o2, -1, PICK(g, exchange_reasons),
				     "kundtjanst", PICK(g, service_actors));
				if (t_del2 > 0) {
					wms_day d = wms_calendar_add_workdays(
						g->cal, workday_on_or_after(g, day_of(t_del2)), rnd_between(g, 1, 3));
					t_ret = at_between(g, d, 9 * 60, 15 * 60);
					if (t_ret <= t_ex)
						t_ret = t_ex + HOUR;
					if (t_ret < g->end)
						recondition(g, dev, t_ret, "Retur vid byte, hämtad av bud", true);
				}
				return;
			}
		}
	}
	if (t_ret < g->end)
		recondition(g, dev, t_ret,
		            chance(g, 0.55) ? "Retur via beställande enhet" : "Hämtad hos patienten", false);
}

/* Keep t[1..n-2] strictly between their neighbours, t[0] and t[n-1] fixed. */
static void chain_fix(wms_time *t, int n)
{
	for (int i = 1; i < n - 1; i++) {
		wms_time lo = t[i - 1] + MIN, hi = t[n - 1] - (wms_time)(n - 1 - i) * MIN;
		if (t[i] > hi)
			t[i] = hi;
		if (t[i] < lo)
			t[i] = lo;
	}
}

/* Lead time in working days for an order without a customer-set date. */
static int draw_leadtime(struct gen *g, const struct dord *o, bool *late)
{
	static const int ontime[8] = { 1, 5, 12, 20, 22, 17, 13, 10 };
	static const int exch[5] = { 4, 35, 35, 16, 10 };

	*late = false;
	if (o->exchange_of >= 0)
		return rnd_weighted(g, exch, 5);
	if (chance(g, products[o->prod].late_p)) {
		int k = 8 + (int)(-log(1.0 - rnd_unit(g)) / 0.33);
		*late = true;
		return k > 24 ? 24 : k;
	}
	return rnd_weighted(g, ontime, 8);
}

/* Cancel order o (created at reg) a little later; sometimes after a reservation. */
static void cancel(struct gen *g, int o)
{
	struct dord *od = &g->ord[o];
	wms_day start = wms_leadtime_start(g->cal, od->reg, CUTOFF_MINUTE);
	wms_time t_c = at_between(g, wms_calendar_add_workdays(g->cal, start, rnd_below(g, 3)),
	                          9 * 60, 15 * 60);

	if (t_c <= od->reg + 30 * MIN)
		t_c = od->reg + 30 * MIN + rnd_below(g, 2 * HOUR);
	if (chance(g, 0.3)) {
		wms_time t_res = od->reg + rnd_between(g, 5, 20) * MIN;
		wms_time t_un = t_c - rnd_between(g, 2, 10) * MIN;
		int dev = take_stock(g, od->prod, od->depot, t_res);
		if (dev < 0)
			return;
		emit(g, t_res, WMS_EV_RESERVE, dev, o, -1, NULL, st_pick[od->depot],
		     PICK(g, worker_actors[od->depot]));
		emit(g, t_un, WMS_EV_UNRESERVE, dev, o, -1, "Beställningen makuleras", st_pick[od->depot],
		     PICK(g, worker_actors[od->depot]));
		pool_add(g, &g->stock[od->prod][od->depot], dev, t_un);
	}
	emit(g, t_c, WMS_EV_ORDER_CANCEL, -1, o, -1, PICK(g, cancel_reasons), "kundtjanst",
	     PICK(g, service_actors));
}

/* A handout from the customer's buffer store, and its replenishment from the depot. */
static wms_time handout(struct gen *g, int o, int dev, int b)
{
	struct dord *od = &g->ord[o];
	int prod = od->prod, depot = buffers[b].depot;
	wms_time t_res = od->reg + rnd_between(g, 3, 20) * MIN;
	wms_time t_del = t_res + rnd_between(g, 5, 25) * MIN;
	wms_day d = wms_calendar_add_workdays(g->cal, workday_on_or_after(g, day_of(od->reg)),
	                                      rnd_between(g, 1, 3));
	wms_time t_to = at_between(g, d, 10 * 60, 14 * 60);
	int fresh;

	emit(g, t_res, WMS_EV_RESERVE, dev, o, -1, NULL, "buffert", "enhet");
	emit(g, t_del, WMS_EV_DELIVER, dev, o, -1, NULL, "buffert", "enhet");
	fresh = take_stock(g, prod, depot, t_to);
	if (fresh >= 0) {
		emit(g, t_to, WMS_EV_TO_BUFFER, fresh, -1, g->buffer0 + b, NULL, st_pack[depot],
		     PICK(g, worker_actors[depot]));
		pool_add(g, &g->bstock[b][prod], fresh, t_to);
	}
	after_delivery(g, dev, o, t_del);
	return t_del;
}

/*
 * Create order o and carry it through to delivery; for a buffer handout,
 * buf_dev is the device already taken from the customer's buffer store.
 * Returns the delivery instant (0 on a generator failure).
 */
static wms_time fulfil(struct gen *g, int o, int buf_dev)
{
	struct dord *od = &g->ord[o];
	int depot = od->depot, prod = od->prod, mode = od->mode;
	wms_time t[5], t_reg = od->reg;
	wms_day start, del_day, reg_day = day_of(t_reg);
	const char *note = NULL;
	bool late = false;
	int dev;

	emit(g, t_reg, WMS_EV_ORDER_CREATE, -1, o, -1, NULL,
	     od->exchange_of >= 0 ? "kundtjanst" : "bestallningsportal",
	     od->exchange_of >= 0 ? PICK(g, service_actors) : "portal");
	if (mode == MODE_BUFFER) {
		for (int b = 0; b < N_BUF; b++)
			if (strcmp(buffers[b].customer, customers[od->cust].code) == 0)
				return handout(g, o, buf_dev, b);
		g->rc = WMS_EINVAL;
		return 0;
	}
	start = wms_leadtime_start(g->cal, t_reg, CUTOFF_MINUTE);
	if (od->requested) {
		int shift = rnd_below(g, 20);
		del_day = od->requested;
		if (shift == 0)
			del_day = prev_workday(g, del_day);
		else if (shift <= 2)
			del_day = wms_calendar_next_workday(g->cal, del_day);
		if (del_day < start)
			del_day = start;
		note = "Anpassad leverans: samordnad med personalens utbildning";
	} else {
		int k = draw_leadtime(g, od, &late);
		del_day = wms_calendar_add_workdays(g->cal, start, k);
		if (late && rnd_below(g, 100) < 85)
			note = prod == P_BPM ? PICK(g, late_notes_bpm)
			     : prod == P_DISP ? PICK(g, late_notes_disp) : PICK(g, late_notes_other);
	}
	t[0] = t_reg;
	if (del_day == reg_day)
		t[4] = t_reg + rnd_between(g, 60, 180) * MIN;
	else if (mode == MODE_UNIT)
		t[4] = at_between(g, del_day, 9 * 60 + 30, 14 * 60 + 30);
	else if (mode == MODE_PICKUP)
		t[4] = at_between(g, del_day, 9 * 60, 12 * 60);
	else
		t[4] = at_between(g, del_day, 10 * 60, 16 * 60);
	/* Dispatch: the own van leaves in the morning; the courier collects the day before. */
	if (mode == MODE_UNIT || del_day == reg_day) {
		t[3] = at_between(g, del_day, 7 * 60, 8 * 60 + 30);
	} else {
		wms_day pd = prev_workday(g, del_day);
		t[3] = at_between(g, pd, 14 * 60 + 30, 16 * 60 + 30);
		if (t[3] <= t_reg + 20 * MIN)
			t[3] = at_between(g, del_day, 6 * 60 + 30, 7 * 60 + 30);
	}
	t[2] = t[3] - rnd_between(g, 40, 240) * MIN;
	if (late && prod == P_BPM)      /* back-ordered: reserved when stock arrives */
		t[1] = t[2] - rnd_between(g, 60, 300) * MIN;
	else
		t[1] = t_reg + rnd_between(g, 10, 300) * MIN;
	chain_fix(t, 5);
	dev = take_stock(g, prod, depot, t[1]);
	if (dev < 0)
		return 0;
	if (note) {
		wms_time t_note = t_reg + rnd_between(g, 3 * 60, 28 * 60) * MIN;
		if (t_note >= t[4])
			t_note = t_reg + (t[4] - t_reg) / 2;
		emit(g, t_note, WMS_EV_ORDER_NOTE, -1, o, -1, note, "kundtjanst", PICK(g, service_actors));
	}
	emit(g, t[1], WMS_EV_RESERVE, dev, o, -1, NULL, st_pick[depot], PICK(g, worker_actors[depot]));
	emit(g, t[2], WMS_EV_PICK, dev, o, -1, NULL, st_pick[depot], PICK(g, worker_actors[depot]));
	emit(g, t[3], WMS_EV_DISPATCH, dev, o, -1, NULL, st_pack[depot], PICK(g, worker_actors[depot]));
	emit(g, t[4], WMS_EV_DELIVER, dev, o, -1, NULL, "bud",
	     mode == MODE_UNIT ? "hmc-transport" : "postnord");
	after_delivery(g, dev, o, t[4]);
	return t[4];
}

/* One order as the ordering units place them. */
static void demand(struct gen *g, wms_time t_reg)
{
	static const int mode_w[2][3] = { { 46, 30, 24 }, { 40, 5, 55 } };
	int kind = chance(g, 0.80) ? KIND_REGION : KIND_MUNI;
	int cw[N_CUST], pw[N_PROD], o;
	struct dord od = { 0 };

	for (int i = 0; i < N_CUST; i++)
		cw[i] = customers[i].kind == kind ? customers[i].weight : 0;
	for (int i = 0; i < N_PROD; i++)
		pw[i] = kind == KIND_REGION ? products[i].w_region : products[i].w_muni;
	od.cust = rnd_weighted(g, cw, N_CUST);
	od.prod = rnd_weighted(g, pw, N_PROD);
	od.depot = customers[od.cust].depot;
	od.reg = t_reg;
	od.exchange_of = -1;
	od.pickup = -1;
	if (g->last_patient[od.cust] && chance(g, 0.2))
		od.patient = g->last_patient[od.cust];
	else
		od.patient = g->last_patient[od.cust] = ++g->n_patients;
	od.mode = rnd_weighted(g, mode_w[kind], 3);
	if (od.prod == P_HBA1C || (od.prod == P_DISP && od.mode == MODE_PICKUP))
		od.mode = MODE_UNIT;
	if (od.mode == MODE_PICKUP) {
		int pp[N_PICKUP], n = 0;
		for (int i = 0; i < N_PICKUP; i++)
			if (pickups[i].area == customers[od.cust].area)
				pp[n++] = i;
		od.pickup = n ? pp[rnd_below(g, n)] : rnd_below(g, N_PICKUP);
	}
	if (od.prod == P_DISP && chance(g, 0.5)) {
		wms_day start = wms_leadtime_start(g->cal, t_reg, CUTOFF_MINUTE);
		od.requested = wms_calendar_add_workdays(g->cal, start, rnd_between(g, 6, 15));
	}
	if (chance(g, 0.012)) {
		if ((o = new_order(g, &od)) < 0)
			return;
		emit(g, t_reg, WMS_EV_ORDER_CREATE, -1, o, -1, NULL, "bestallningsportal", "portal");
		cancel(g, o);
		return;
	}
	/* A unit with a buffer store hands out from it when it has the device. */
	for (int b = 0; b < N_BUF; b++) {
		if (strcmp(buffers[b].customer, customers[od.cust].code) != 0 || !chance(g, 0.6))
			continue;
		for (int j = 0; j < 3 && buffers[b].prod[j] >= 0; j++) {
			if (buffers[b].prod[j] != od.prod)
				continue;
			int dev = pool_take(&g->bstock[b][od.prod], t_reg);
			if (dev >= 0) {
				od.mode = MODE_BUFFER;
				od.pickup = -1;
				od.requested = 0;
				if ((o = new_order(g, &od)) >= 0)
					fulfil(g, o, dev);
				return;
			}
		}
	}
	if ((o = new_order(g, &od)) >= 0)
		fulfil(g, o, -1);
}

/* ---- the whole history ------------------------------------------------- */

static int add_loc(struct gen *g, const char *code, const char *name, const char *kind, int depot,
                   const char *customer)
{
	struct loc *l;

	if (g->rc || (l = grow(g, g->locs, sizeof *g->locs, (size_t)g->n_locs + 1, &g->cap_locs)) == NULL)
		return -1;
	g->locs = l;
	l = &g->locs[g->n_locs];
	snprintf(l->code, sizeof l->code, "%s", code);
	snprintf(l->name, sizeof l->name, "%s", name);
	l->kind = kind;
	l->depot = depot;
	l->customer = customer;
	return g->n_locs++;
}

static void build_locations(struct gen *g)
{
	char code[32], name[96];

	for (int p = 0; p < N_PROD; p++) {
		g->shelf0[p][DEPOT_ML] = g->n_locs;
		g->n_shelf[p][DEPOT_ML] = SHELVES_ML;
		for (int i = 0; i < SHELVES_ML; i++) {
			snprintf(code, sizeof code, "ML-%c%02d-%d", 'A' + p, i / 2 + 1, i % 2 + 1);
			snprintf(name, sizeof name, "Mölndal gång %c sektion %02d hylla %d (%s)", 'A' + p,
			         i / 2 + 1, i % 2 + 1, products[p].name_sv);
			add_loc(g, code, name, "shelf", DEPOT_ML, NULL);
		}
		g->shelf0[p][DEPOT_SK] = g->n_locs;
		g->n_shelf[p][DEPOT_SK] = 1;
		snprintf(code, sizeof code, "SK-%c01-1", 'A' + p);
		snprintf(name, sizeof name, "Skövde gång %c sektion 01 hylla 1 (%s)", 'A' + p,
		         products[p].name_sv);
		add_loc(g, code, name, "shelf", DEPOT_SK, NULL);
	}
	g->buffer0 = g->n_locs;
	for (int b = 0; b < N_BUF; b++)
		add_loc(g, buffers[b].code, buffers[b].name, "buffer", buffers[b].depot, buffers[b].customer);
	g->pickup0 = g->n_locs;
	for (int i = 0; i < N_PICKUP; i++)
		add_loc(g, pickups[i].code, pickups[i].name, "pickup_point", -1, NULL);
}

static int cmp_time(const void *a, const void *b)
{
	wms_time x = *(const wms_time *)a, y = *(const wms_time *)b;

	return (x > y) - (x < y);
}

static int cmp_cmd(const void *a, const void *b)
{
	const struct dcmd *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void gen_reset(struct gen *g, uint64_t seed)
{
	bool heap = g->scale > 40;   /* above 120,000 devices (pool_take) */

	for (int p = 0; p < N_PROD; p++) {
		for (int d = 0; d < N_DEPOT; d++)
			g->stock[p][d] = (struct pool){ g->stock[p][d].dev, g->stock[p][d].avail, 0,
			                                g->stock[p][d].cap, heap };
		for (int b = 0; b < N_BUF; b++)
			g->bstock[b][p] = (struct pool){ g->bstock[b][p].dev, g->bstock[b][p].avail, 0,
			                                 g->bstock[b][p].cap, heap };
	}
	g->rng = seed;
	g->rc = 0;
	g->n_cmd = 0;
	g->seq = 0;
	g->n_dev = 0;
	g->n_ord = 0;
	g->n_patients = 0;
	g->n_batches = 0;
	memset(g->last_patient, 0, sizeof g->last_patient);
}

static void gen_free(struct gen *g)
{
	for (int p = 0; p < N_PROD; p++) {
		for (int d = 0; d < N_DEPOT; d++) {
			free(g->stock[p][d].dev);
			free(g->stock[p][d].avail);
		}
		for (int b = 0; b < N_BUF; b++) {
			free(g->bstock[b][p].dev);
			free(g->bstock[b][p].avail);
		}
	}
	free(g->locs);
	free(g->cmd);
	free(g->dev);
	free(g->ord);
}

/* Order registration instants: working hours mostly, a roll-out surge, a quiet July. */
static wms_time *order_times(struct gen *g, int n)
{
	wms_day first = g->day0 + 7;
	int ndays = g->day_end - first + 1, rollout = (g->day_end - g->day0) / 3;
	double *cum = NULL, total = 0;
	wms_time *t = NULL;

	if (ndays < 1)
		ndays = 1;
	cum = malloc((size_t)ndays * sizeof *cum);
	t = malloc((size_t)(n > 0 ? n : 1) * sizeof *t);
	if (cum == NULL || t == NULL) {
		g->rc = WMS_ENOMEM;
		goto out;
	}
	for (int i = 0; i < ndays; i++) {
		wms_day d = first + i;
		int y, m, dd;
		double w = wms_calendar_is_workday(g->cal, d) ? 1.0 : 0.04;
		wms_date_to_ymd(d, &y, &m, &dd);
		if (d - g->day0 < rollout)
			w *= 1.8;
		if (m == 7)
			w *= 0.55;
		total += w;
		cum[i] = total;
	}
	for (int i = 0; i < n; i++) {
		for (int tries = 0;; tries++) {
			double u = rnd_unit(g) * total;
			int lo = 0, hi = ndays - 1;
			wms_day d;
			double r = rnd_unit(g);
			while (lo < hi) {
				int mid = (lo + hi) / 2;
				if (cum[mid] > u)
					hi = mid;
				else
					lo = mid + 1;
			}
			d = first + lo;
			if (!wms_calendar_is_workday(g->cal, d))
				t[i] = at_between(g, d, 9 * 60, 20 * 60);
			else if (r < 0.72)
				t[i] = at_between(g, d, 8 * 60, 15 * 60);
			else if (r < 0.95)
				t[i] = at_between(g, d, 15 * 60, 17 * 60);
			else
				t[i] = at_between(g, d, 17 * 60, 21 * 60);
			if (t[i] <= g->end || tries > 20)
				break;
		}
		if (t[i] > g->end)
			t[i] = g->end - rnd_below(g, 8 * HOUR);
	}
	qsort(t, (size_t)n, sizeof *t, cmp_time);
out:
	free(cum);
	return t;
}

/* The whole history with n_orders demand orders; returns devices received by `end`. */
static int simulate(struct gen *g, uint64_t seed, int n_orders)
{
	wms_day d0 = workday_on_or_after(g, g->day0);
	wms_time *times;
	int received = 0;

	gen_reset(g, seed);
	/* Opening stock, then buffer stores filled two working days later. */
	for (int p = 0; p < N_PROD; p++)
		for (int d = 0; d < N_DEPOT; d++)
			receive_batch(g, p, d, d0, batch_size(g, p, d));
	for (int b = 0; b < N_BUF; b++) {
		wms_time t = at_between(g, wms_calendar_add_workdays(g->cal, d0, 2), 10 * 60, 12 * 60);
		for (int j = 0; j < 3 && buffers[b].prod[j] >= 0; j++) {
			int p = buffers[b].prod[j], n = (int)(4 * g->scale + 0.5);
			for (int i = 0; i < (n < 2 ? 2 : n); i++) {
				int dev = take_stock(g, p, buffers[b].depot, t);
				if (dev < 0)
					break;
				emit(g, t + i * MIN, WMS_EV_TO_BUFFER, dev, -1, g->buffer0 + b, NULL,
				     st_pack[buffers[b].depot], worker_actors[buffers[b].depot][0]);
				pool_add(g, &g->bstock[b][p], dev, t + i * MIN);
			}
		}
	}
	times = order_times(g, n_orders);
	for (int i = 0; times && i < n_orders && !g->rc; i++)
		demand(g, times[i]);
	free(times);
	/* Cut the history at `end`: what lies beyond has not happened yet. */
	{
		size_t k = 0;
		for (size_t i = 0; i < g->n_cmd; i++) {
			if (g->cmd[i].at > g->end)
				continue;
			if (g->cmd[i].type == WMS_EV_RECEIVE)
				received++;
			g->cmd[k++] = g->cmd[i];
		}
		g->n_cmd = k;
	}
	return received;
}

/* Bring the number of devices received to `want` with replenishment of the last weeks. */
static void top_up(struct gen *g, int have, int want)
{
	int pw[N_PROD];

	for (int i = 0; i < N_PROD; i++)
		pw[i] = products[i].w_region * 4 + products[i].w_muni;
	while (have < want && !g->rc) {
		int p = rnd_weighted(g, pw, N_PROD);
		int n = batch_size(g, p, DEPOT_ML);
		wms_day d = workday_on_or_after(g, g->day_end - rnd_between(g, 5, 60));
		if (n > want - have)
			n = want - have;
		if (wms_local_to_utc(d, 16 * 60) >= g->end)
			d = prev_workday(g, prev_workday(g, g->day_end));
		receive_batch(g, p, DEPOT_ML, d, n);
		have += n;
	}
}

/* ---- writing it through the ledger -------------------------------------- */

static int add_registry(struct wms_store *s, struct wms_error *err);

static int add_reference(struct wms_store *s, struct gen *g, struct wms_error *err)
{
	char gtin[16], cc[16], street[64];
	int rc;

	for (int p = 0; p < N_PROD; p++) {
		const struct product_def *d = &products[p];
		struct wms_product wp = { d->code, d->name_sv, d->name_en, d->category, d->training };
		if ((rc = wms_product_add(s, &wp, err)) < 0)
			return rc;
		for (int i = 0; i < 2 && d->gtin12[i]; i++) {
			/* GS1 mod 10 check digit over the 12 digits: weights 1,3,1,... from the left. */
			int sum = 0;
			for (int j = 0; j < 12; j++)
				sum += (d->gtin12[i][j] - '0') * (j % 2 ? 3 : 1);
			snprintf(gtin, sizeof gtin, "%s%d", d->gtin12[i], (10 - sum % 10) % 10);
			snprintf(g->gtin[p][i], sizeof g->gtin[p][i], "%s", gtin);
			if ((rc = wms_product_add_gtin(s, d->code, gtin, err)) < 0)
				return rc;
		}
	}
	for (int c = 0; c < N_CUST; c++) {
		snprintf(cc, sizeof cc, "%s%04d", customers[c].kind == KIND_REGION ? "VGR-" : "K-",
		         4100 + c * 7);
		if ((rc = wms_customer_add(s, customers[c].code, customers[c].name,
		                           customers[c].kind == KIND_REGION ? "region" : "municipality", cc,
		                           err)) < 0)
			return rc;
		snprintf(street, sizeof street, "%s %d", areas[customers[c].area].street, 3 + c * 2);
		if ((rc = wms_customer_set_address(s, customers[c].code, street,
		                                   areas[customers[c].area].postcode,
		                                   areas[customers[c].area].city, err)) < 0)
			return rc;
	}
	{
		/* ML (HMC Mölndal) comes with the schema; Skövde is added */
		struct wms_depot_new sk = { .code = "SK", .name = "HMC Skövde",
		                            .address = "Badhusgatan 5, 541 30 Skövde", .cutoff = NULL };
		if ((rc = wms_depot_known(s, "SK", NULL)) == WMS_ENOTFOUND)
			rc = wms_depot_add(s, &sk, err);
		if (rc < 0)
			return rc;
	}
	for (int i = 0; i < g->n_locs; i++) {
		const struct loc *l = &g->locs[i];
		if ((rc = wms_location_add(s, l->code, l->name, l->kind,
		                           l->depot >= 0 ? depot_names[l->depot] : NULL, l->customer,
		                           err)) < 0)
			return rc;
	}
	return add_registry(s, err);
}

/* The pickup-point registry and postcode coordinates (the courier room's
 * tables, core migration 7) for the demo region. */
static int add_registry(struct wms_store *s, struct wms_error *err)
{
	static const char point[] =
		"INSERT INTO pickup_points(carrier, ext_id, name, address, postal_code, city, opening_hours,"
		" location_id, updated_ts) SELECT 'PostNord', ?1, ?2, ?3, ?4, ?5, 'Mån-fre 8-21, lör-sön 9-20',"
		" id, ?6 FROM locations WHERE code = ?7";
	static const char postcode[] = "INSERT OR REPLACE INTO postcodes(code, lat, lon) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st;
	int rc;

	for (int i = 0; i < N_PICKUP; i++) {
		const struct pickup_def *p = &pickups[i];
		if ((st = wms_store_stmt(s, point, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, p->code + 3, -1, SQLITE_STATIC);   /* PP-MOLNDAL: MOLNDAL */
		sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, p->street, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, p->postcode, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, p->city, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, wms_now());
		sqlite3_bind_text(st, 7, p->code, -1, SQLITE_STATIC);
		if ((rc = wms_store_step_done(s, st, "adding the demo pickup points", err)) < 0)
			return rc;
		if ((st = wms_store_stmt(s, postcode, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, p->postcode, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, p->lat);
		sqlite3_bind_double(st, 3, p->lon);
		if ((rc = wms_store_step_done(s, st, "adding the demo postcodes", err)) < 0)
			return rc;
	}
	for (size_t i = 0; i < sizeof postcodes / sizeof postcodes[0]; i++) {
		if ((st = wms_store_stmt(s, postcode, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, postcodes[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 2, postcodes[i].lat);
		sqlite3_bind_double(st, 3, postcodes[i].lon);
		if ((rc = wms_store_step_done(s, st, "adding the demo postcodes", err)) < 0)
			return rc;
	}
	return 0;
}

struct numbering {
	int year, seq;
	int serial[N_PROD];
};

/*
 * The reconditioning records the gate asks for (ledger_records.c), made the
 * way the reconditioning room makes them: a one-step demo checklist snapshot
 * for recon_start, a passed step result before recon_approve.  Demo data
 * only: a real run comes from reconditioning/ and its checklist files.
 */
static int demo_recon_record(struct wms_store *s, const struct dcmd *c, const char *product,
                             long long device_id, long long *checklist_id, struct wms_error *err)
{
	static const char snap[] =
		"INSERT OR IGNORE INTO recon_checklists(product_id, version, hash, body, steps)"
		" SELECT id, 0, 'demo', 'demo checklist: one step, DEMO', 1 FROM products WHERE code = ?1";
	static const char snap_id[] =
		"SELECT c.id FROM recon_checklists c JOIN products p ON p.id = c.product_id"
		" WHERE p.code = ?1 AND c.hash = 'demo'";
	static const char pass[] =
		"INSERT INTO recon_results(run_id, step, result, detail, ts, station, technician)"
		" SELECT r.id, 'DEMO', 'pass', 'demo data', ?2, ?3, ?4 FROM recon_runs r"
		" WHERE r.device_id = ?1 AND r.outcome IS NULL";
	sqlite3_stmt *st;
	int rc;

	if (c->type == WMS_EV_RECON_START) {
		if ((st = wms_store_stmt(s, snap, err)) == NULL)
			return WMS_EDB;
		sqlite3_bind_text(st, 1, product, -1, SQLITE_STATIC);
		if ((rc = wms_store_step_done(s, st, "storing the demo checklist", err)) < 0)
			return rc;
		rc = wms_store_lookup_id(s, snap_id, product, checklist_id, NULL, 0, err);
		return rc == WMS_ENOTFOUND ? wms_error_set(err, WMS_EDB, "demo checklist missing") : rc;
	}
	if (c->type != WMS_EV_RECON_APPROVE)
		return 0;
	if ((st = wms_store_stmt(s, pass, err)) == NULL)
		return WMS_EDB;
	sqlite3_bind_int64(st, 1, device_id);
	sqlite3_bind_int64(st, 2, c->at);
	wms_bind_text_or_null(st, 3, c->station);
	sqlite3_bind_text(st, 4, c->actor, -1, SQLITE_STATIC);
	return wms_store_step_done(s, st, "recording the demo step result", err);
}

static int apply_one(struct wms_store *s, struct gen *g, const struct dcmd *c, struct numbering *nb,
                     struct wms_error *err)
{
	struct wms_cmd cmd = { 0 };
	char patient[16], requested[16], lot[24], made[16];
	struct wms_error e = { 0 };
	int rc;

	cmd.type = (enum wms_event_type)c->type;
	cmd.at = c->at;
	cmd.station = c->station;
	cmd.actor = c->actor;
	cmd.role = WMS_ROLE_TRUSTED;   /* the installation's own demo data (wms_rules.h) */
	cmd.reason = c->reason;
	if (c->loc >= 0)
		cmd.location = g->locs[c->loc].code;
	if (c->dev >= 0) {
		struct ddev *d = &g->dev[c->dev];
		if (c->type == WMS_EV_RECEIVE) {
			int y, m, dd;
			wms_date_to_ymd(day_of(c->at), &y, &m, &dd);
			snprintf(d->serial, sizeof d->serial, "%s-%02d%06d", products[d->prod].serial_prefix,
			         y % 100, 104000 + 7 * ++nb->serial[d->prod]);
			snprintf(lot, sizeof lot, "L%02d%02d-%03d", y % 100, m, d->lot % 1000);
			cmd.product = products[d->prod].code;
			cmd.gtin = g->gtin[d->prod][d->gtin];
			cmd.lot = lot;
			cmd.manufactured = wms_date_format(d->manufactured, made);
			cmd.depot = depot_names[d->depot];   /* its depot's goods-in */
		}
		cmd.serial = d->serial;
		if ((rc = demo_recon_record(s, c, products[d->prod].code, d->id, &cmd.checklist_id,
		                            err)) < 0)
			return rc;
	}
	if (c->ord >= 0) {
		struct dord *o = &g->ord[c->ord];
		if (c->type == WMS_EV_ORDER_CREATE) {
			int y, m, dd;
			wms_date_to_ymd(day_of(o->reg), &y, &m, &dd);
			if (y != nb->year) {
				nb->year = y;
				nb->seq = 0;
			}
			snprintf(o->number, sizeof o->number, "BST-%04d-%05d", y, ++nb->seq);
			snprintf(patient, sizeof patient, "P-%06d", 100 + o->patient * 3);
			cmd.customer = customers[o->cust].code;
			cmd.patient_ref = patient;
			cmd.product = products[o->prod].code;
			cmd.mode = wms_delivery_modes[o->mode];
			cmd.depot = depot_names[o->depot];
			if (o->pickup >= 0)
				cmd.pickup_point = g->locs[g->pickup0 + o->pickup].code;
			if (o->requested)
				cmd.requested_date = wms_date_format(o->requested, requested);
			if (o->exchange_of >= 0)
				cmd.exchange_of = g->dev[o->exchange_of].serial;
		}
		if (c->type != WMS_EV_PICK && c->type != WMS_EV_DISPATCH && c->type != WMS_EV_DELIVER &&
		    c->type != WMS_EV_RENT)
			cmd.order = o->number;
	}
	{
		struct wms_cmd_result res;
		rc = wms_ledger_apply(s, &cmd, &res, &e);
		if (rc == 0 && c->type == WMS_EV_RECEIVE && c->dev >= 0)
			g->dev[c->dev].id = res.device_id;
	}
	if (rc < 0) {
		char when[32];
		return wms_error_set(err, rc, "demo data refused at %s (%s %s): %s",
		                     wms_time_format(c->at, when), wms_event_name(cmd.type),
		                     cmd.serial ? cmd.serial : cmd.order ? cmd.order : "", e.msg);
	}
	return 0;
}

int wms_demo_load(struct wms_store *s, const struct wms_demo_opts *opts, struct wms_error *err)
{
	struct wms_demo_opts o = opts ? *opts : (struct wms_demo_opts){ 0 };
	struct wms_calendar *own_cal = NULL;
	struct gen g = { 0 };
	struct numbering nb = { 0 };
	bool in_batch = false;
	long long events;
	long total, done = 0, step, next, reported = -1;
	int rc, want, n_orders, received = 0;

	if (o.seed == 0) o.seed = 1;
	if (o.devices <= 0) o.devices = 3000;
	if (o.days <= 0) o.days = 730;
	if (o.end == 0) o.end = wms_now();
	if (o.orders <= 0 && o.devices > 1000000)
		return wms_error_set(err, WMS_EINVAL, "demo: at most 1,000,000 devices (asked for %d)",
		                     o.devices);
	events = wms_store_event_count(s);
	if (events < 0)
		return wms_error_set(err, WMS_EDB, "demo: cannot count the events of the store");
	if (events > 0)
		return wms_error_set(err, WMS_EEXIST,
		                     "the store already holds %lld events; demo data loads only into an empty "
		                     "store", events);
	if (o.cal == NULL) {
		if ((rc = wms_calendar_new(NULL, &own_cal, err)) < 0)
			return rc;
		o.cal = own_cal;
	}
	g.cal = o.cal;
	g.end = o.end;
	g.day_end = day_of(o.end);
	g.day0 = g.day_end - o.days;
	if (!wms_calendar_covers(g.day0) || !wms_calendar_covers(g.day_end + 60)) {
		rc = wms_error_set(err, WMS_EINVAL, "demo: the period lies outside the calendar's years %d-%d",
		                   WMS_CAL_FIRST_YEAR, WMS_CAL_LAST_YEAR);
		goto out;
	}
	if (o.days < 30) {
		rc = wms_error_set(err, WMS_EINVAL, "demo: at least 30 days of history (asked for %d)", o.days);
		goto out;
	}
	if (o.orders > 0) {
		if (o.orders > 20000000) {
			rc = wms_error_set(err, WMS_EINVAL, "demo: at most 20,000,000 orders (asked for %ld)",
			                   o.orders);
			goto out;
		}
		o.devices = (int)(o.orders / 1.15) + 1;
	}
	g.scale = o.devices / 3000.0;
	build_locations(&g);

	/* Find the order volume that uses the devices asked for (a few passes, in memory). */
	want = o.devices;
	n_orders = (int)(want * 1.15);
	if (o.orders > 0) {
		/* as many orders as give the deliveries asked for, the devices as they come */
		n_orders = (int)o.orders;
		for (int pass = 0; pass < 4 && !g.rc; pass++) {
			long delivered = 0;
			simulate(&g, o.seed, n_orders);
			for (size_t i = 0; i < g.n_cmd; i++)
				delivered += g.cmd[i].type == WMS_EV_DELIVER;
			if (delivered >= o.orders * 0.99 && delivered <= o.orders * 1.01)
				break;
			n_orders = (int)((double)n_orders * (double)o.orders / (double)(delivered ? delivered : 1)) + 1;
		}
		goto simulated;
	}
	for (int pass = 0; pass < 6; pass++) {
		received = simulate(&g, o.seed, n_orders);
		if (g.rc)
			break;
		if ((received <= want && received >= want * 0.93) || n_orders <= 10)
			break;
		n_orders = (int)((double)n_orders * want * 0.965 / (received > 0 ? received : 1));
		if (n_orders < 10)
			n_orders = 10;
	}
	if (!g.rc)
		top_up(&g, received, want);
simulated:
	if (g.rc) {
		rc = g.rc == WMS_ENOMEM ? wms_error_set(err, g.rc, "demo: out of memory")
		                        : wms_error_set(err, g.rc, "demo: internal error in the generator");
		goto out;
	}
	qsort(g.cmd, g.n_cmd, sizeof *g.cmd, cmp_cmd);

	total = (long)g.n_cmd + N_PROD + N_CUST + g.n_locs;
	step = total / 100 > 0 ? total / 100 : 1;
	/* The load is one transaction: its pages stay in memory up to 2.5 GiB of
	 * them (a demo of 1M orders writes 1.7 GB), but never more than a quarter
	 * of the machine's memory, instead of spilling to the log at the cache's
	 * size, where every later read of a page searched a log of a gigabyte and
	 * more (most of the time of a 1M-order demo). */
	{
		long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
		long long quarter = pages > 0 && size > 0 ? (long long)pages * size / 4 / 4096 : 0;
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA cache_spill = %lld", quarter > 655360 ? 655360 : quarter);
		if (quarter > 0)
			sqlite3_exec(wms_store_db(s), pragma, NULL, NULL, NULL);
	}
	if ((rc = wms_store_begin(s, err)) < 0)
		goto out;
	in_batch = true;
	if ((rc = add_reference(s, &g, err)) < 0 || (!o.live && (rc = wms_ledger_bulk_begin(s, err)) < 0))
		goto out;
	done = N_PROD + N_CUST + g.n_locs;
	next = done;
	for (size_t i = 0; i <= g.n_cmd; i++) {
		if (done >= next && o.progress) {
			o.progress(o.progress_ctx, done, total);
			reported = done;
			next = done + step;
		}
		if (i == g.n_cmd)
			break;
		if ((rc = apply_one(s, &g, &g.cmd[i], &nb, err)) < 0)
			goto out;
		done++;
		if (o.batch > 0 && (long)(i + 1) % o.batch == 0) {
			in_batch = false;
			if ((rc = wms_store_commit(s, err)) < 0 || (rc = wms_store_begin(s, err)) < 0)
				goto out;
			in_batch = true;
			if (!o.live && (rc = wms_ledger_bulk_begin(s, err)) < 0)
				goto out;
		}
	}
	rc = wms_store_commit(s, err);
	in_batch = false;
	if (rc == 0 && o.progress && reported != total)
		o.progress(o.progress_ctx, total, total);
out:
	if (in_batch)
		wms_store_rollback(s);
	sqlite3_exec(wms_store_db(s), "PRAGMA cache_spill = 1", NULL, NULL, NULL);   /* SQLite's default */
	gen_free(&g);
	wms_calendar_free(own_cal);
	return rc;
}
