// station.js - keeps a station screen (/stations/NAME) live: the station's
// handled scans arrive as server-sent events and are put on top of the list
// (green when ok, amber for a warning, red with the reason when refused or
// when a measurement failed), with the header (mode, signed-in user, what
// waits) as the station has it after the scan.  The keypad sends what is
// typed to POST /api/v1/stations/NAME/input, handled as a scan.  The page
// itself works without it (it shows the newest lines when loaded).
(function () {
  'use strict';
  var list = document.getElementById('lines');
  var live = document.getElementById('live');
  var keypad = document.getElementById('keypad');

  if (keypad) {
    var input = document.getElementById('kp-value');
    keypad.addEventListener('click', function (e) {
      var key = e.target.dataset ? e.target.dataset.key : null;
      if (!key) { return; }
      input.value = key === 'erase' ? input.value.slice(0, -1) : input.value + key;
      input.focus();
    });
    keypad.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!input.value) { return; }
      fetch('/api/v1/stations/' + encodeURIComponent(keypad.dataset.station) + '/input', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': keypad.dataset.csrf },
        body: JSON.stringify({ text: input.value })
      }).then(function (r) { if (r.ok) { input.value = ''; } });
    });
  }
  if (!list || !window.EventSource) { return; }

  function setHeader(h) {
    var mode = document.getElementById('h-mode');
    var actor = document.getElementById('h-actor');
    var pending = document.getElementById('h-pending');
    if (!h || !mode) { return; }
    mode.textContent = h.mode;
    actor.textContent = h.actor || actor.dataset.none;
    pending.textContent = h.pending || pending.dataset.none;
  }

  var url = '/stations/' + encodeURIComponent(list.dataset.station) + '/events?after=' +
            encodeURIComponent(list.dataset.after || '0');
  var source = new EventSource(url);
  source.onopen = function () { live.textContent = live.dataset.on; };
  source.onerror = function () { live.textContent = live.dataset.off; };
  source.onmessage = function (e) {
    var scan = JSON.parse(e.data);
    setHeader(scan.header);
    // id 0: a scan the database did not record (read-only, full): never a replay
    if (scan.id && list.querySelector('li[data-id="' + scan.id + '"]')) { return; }
    var cls = scan['class'] || (scan.ok ? 'ok' : 'refused');
    var li = document.createElement('li');
    var strong = document.createElement('strong');
    li.className = cls;
    li.dataset.id = String(scan.id);
    strong.textContent = list.dataset[cls] || list.dataset.refused;
    li.appendChild(strong);
    li.appendChild(document.createTextNode(' ' + scan.line.replace(/^(ok|refused|failed|warning): /, '')));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 20) { list.removeChild(list.lastChild); }
  };
}());
