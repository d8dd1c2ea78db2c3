// station.js - keeps a station screen (/stations/NAME) live: the station's
// handled scans arrive as server-sent events and are put on top of the list,
// green when ok, red with the reason when refused.  The page itself works
// without it (it shows the newest lines when loaded).
(function () {
  'use strict';
  var list = document.getElementById('lines');
  var live = document.getElementById('live');
  if (!list || !window.EventSource) { return; }
  var url = '/stations/' + encodeURIComponent(list.dataset.station) + '/events?after=' +
            encodeURIComponent(list.dataset.after || '0');
  var source = new EventSource(url);
  source.onopen = function () { live.textContent = live.dataset.on; };
  source.onerror = function () { live.textContent = live.dataset.off; };
  source.onmessage = function (e) {
    var scan = JSON.parse(e.data);
    // id 0: a scan the database did not record (read-only, full): never a replay
    if (scan.id && list.querySelector('li[data-id="' + scan.id + '"]')) { return; }
    var li = document.createElement('li');
    var strong = document.createElement('strong');
    li.className = scan.ok ? 'ok' : 'refused';
    li.dataset.id = String(scan.id);
    strong.textContent = scan.ok ? list.dataset.ok : list.dataset.refused;
    li.appendChild(strong);
    li.appendChild(document.createTextNode(' ' + scan.line.replace(/^(ok|refused): /, '')));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 20) { list.removeChild(list.lastChild); }
  };
}());
