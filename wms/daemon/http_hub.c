/*
 * http_hub.c - the region's read API on a hub ([central] role = hub):
 * GET /api/v1/hub[?depot=CODE], the report the shipping thread last made
 * from the hub's PostgreSQL (central_report, ship_worker.h), cut to one depot
 * when asked (devices in transit: those going to or coming from it).
 * Nothing here talks to PostgreSQL: the loop never waits for it.
 */
#include "http_impl.h"

#include "dash_impl.h"
#include "wmsd.h"

#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool is(const json_t *row, const char *key, const char *depot)
{
	return key && strcmp(json_string_value(json_object_get(row, key)) ?: "", depot) == 0;
}

/* Keep the rows of a list whose "depot" (or `also`, when not NULL) is depot. */
static void keep_depot(json_t *list, const char *depot, const char *also)
{
	for (size_t i = json_array_size(list); i-- > 0;)
		if (!is(json_array_get(list, i), "depot", depot) && !is(json_array_get(list, i), also, depot))
			json_array_remove(list, i);
}

json_t *http_hub_report(const struct http_request *rq, const char *depot, struct wms_error *err)
{
	char why[256];
	json_t *rep, *lt, *by, *one = NULL, *known;
	size_t i;

	if (!rq->conf->central.hub) {
		wms_error_set(err, WMS_ENOTFOUND, "this wmsd is a depot; the region's report is served by the hub "
		              "([central] role = hub)");
		return NULL;
	}
	if ((rep = central_report(why, sizeof why)) == NULL) {
		wms_error_set(err, WMS_EIO, "hub: %s", why);
		return NULL;
	}
	if (why[0])
		json_object_set_new(rep, "stale", json_string(why));   /* the last good report */
	if (depot == NULL || depot[0] == '\0')
		return rep;
	known = json_object_get(rep, "depots");
	json_array_foreach(known, i, one)
		if (strcmp(json_string_value(json_object_get(one, "depot")) ?: "", depot) == 0)
			break;
	if (i == json_array_size(known)) {
		json_decref(rep);
		wms_error_set(err, WMS_EINVAL, "depot \"%.20s\" has shipped nothing to the hub; see GET /api/v1/hub "
		              "for the depots it holds", depot);
		return NULL;
	}
	keep_depot(json_object_get(rep, "depots"), depot, NULL);
	keep_depot(json_object_get(rep, "conflicts"), depot, NULL);
	keep_depot(json_object_get(rep, "orders"), depot, NULL);
	keep_depot(json_object_get(rep, "catalog"), depot, NULL);
	keep_depot(json_object_get(rep, "stock"), depot, NULL);
	keep_depot(json_object_get(rep, "in_transit"), depot, "from");   /* to or from it */
	lt = json_object_get(rep, "leadtime");
	by = json_object_get(lt, "by_depot");
	one = NULL;
	json_array_foreach(by, i, one)
		if (strcmp(json_string_value(json_object_get(one, "key")) ?: "", depot) == 0)
			break;
	if (i < json_array_size(by)) {
		json_t *copy = json_deep_copy(one);
		json_object_del(copy, "key");
		json_object_set_new(lt, "overall", copy);
	} else
		json_object_set_new(lt, "overall", json_pack("{s:i, s:[]}", "count", 0, "histogram"));
	for (size_t k = json_array_size(by); k-- > 0;)
		if (strcmp(json_string_value(json_object_get(json_array_get(by, k), "key")) ?: "", depot) != 0)
			json_array_remove(by, k);
	return rep;
}

void http_hub(struct http_request *rq, struct http_reply *rp)
{
	struct wms_error err = { 0 };

	http_json(rp, MHD_HTTP_OK, http_hub_report(rq, http_query(rq, "depot"), &err), &err);
}
