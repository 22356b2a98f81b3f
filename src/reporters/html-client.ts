/**
 * The script of the HTML report (src/reporters/html.ts), run in the reader's browser: it reads the report data the
 * page embeds, draws the app → resource graph with Cytoscape, and keeps the graph, the tables and the per-app panel
 * in step with the search box and the filters. Every text from a repository reaches the page through
 * `textContent` or a canvas label, never as markup. Plain ES2017 in a string: it runs as is in any current browser.
 */
export const HTML_CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('cmdb-data').textContent);
  var FAMILY_COLOURS = { relational: '#f59e0b', document: '#d97706', cache: '#ef4444', broker: '#8b5cf6', search: '#10b981',
    registry: '#06b6d4', 'object-store': '#0ea5e9', http: '#64748b', 'time-series': '#14b8a6', graph: '#ec4899', custom: '#a3a3a3' };
  var SEVERITY_RANK = { high: 0, medium: 1, low: 2 };
  var state = { search: '', kinds: {}, scopes: { main: true, deploy: true, test: false, example: false, docs: false }, profile: '', severity: '', app: null };
  data.kinds.forEach(function (k) { state.kinds[k] = true; });

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function appOf(id) { return data.apps[data.appIndex[id]]; }
  function lower(s) { return String(s == null ? '' : s).toLowerCase(); }

  function connectionShown(c) {
    if (!state.kinds[c.kind] || !state.scopes[c.scope]) return false;
    if (state.profile && (c.profile || 'default') !== state.profile) return false;
    if (!state.search) return true;
    var q = state.search;
    return [appOf(c.app).name, c.resource, c.file, c.username, c.profile].some(function (v) { return lower(v).indexOf(q) >= 0; });
  }
  function secretShown(s) {
    if (!state.scopes[s.scope]) return false;
    if (state.severity && SEVERITY_RANK[s.severity] > SEVERITY_RANK[state.severity]) return false;
    if (!state.search) return true;
    var q = state.search;
    return [appOf(s.app).name, s.kind, s.file, s.resource].some(function (v) { return lower(v).indexOf(q) >= 0; });
  }

  // Filters, built once from the data.
  var kindBox = document.getElementById('kinds');
  data.kinds.forEach(function (k) {
    var box = el('input', { type: 'checkbox', value: k, 'data-kind': k });
    box.checked = true;
    box.addEventListener('change', function () { state.kinds[k] = box.checked; update(); });
    kindBox.appendChild(el('label', { className: 'chip' }, [box, el('span', { text: k })]));
  });
  var scopeBox = document.getElementById('scopes');
  Object.keys(state.scopes).forEach(function (s) {
    var box = el('input', { type: 'checkbox', value: s, 'data-scope': s });
    box.checked = state.scopes[s];
    box.addEventListener('change', function () { state.scopes[s] = box.checked; update(); });
    scopeBox.appendChild(el('label', { className: 'chip' }, [box, el('span', { text: s })]));
  });
  var profileSelect = document.getElementById('profile');
  data.profiles.forEach(function (p) { profileSelect.appendChild(el('option', { value: p, text: p })); });
  profileSelect.addEventListener('change', function () { state.profile = profileSelect.value; update(); });
  var severitySelect = document.getElementById('severity');
  severitySelect.addEventListener('change', function () { state.severity = severitySelect.value; update(); });
  var search = document.getElementById('search');
  search.addEventListener('input', function () { state.search = search.value.trim().toLowerCase(); update(); });

  // The graph: every app and every resource an app reaches outside localhost; edges labelled with profiles. Each
  // repository is a compound node holding its apps and the resources only it gives a name to (a Compose redis);
  // a resource apps of several repositories use is drawn as shared.
  var elements = [];
  var repoNames = {};
  data.apps.forEach(function (a) { repoNames[a.repo] = true; });
  Object.keys(repoNames).sort().forEach(function (r) {
    elements.push({ group: 'nodes', data: { id: 'repo:' + r, label: shortRepo(r), type: 'repo' } });
  });
  data.apps.forEach(function (a) { elements.push({ group: 'nodes', data: { id: a.id, label: a.name, type: 'app', parent: 'repo:' + a.repo } }); });
  var reposUsing = {};
  data.edges.forEach(function (e) { (reposUsing[e.resource] = reposUsing[e.resource] || {})[appOf(e.app).repo] = true; });
  data.resources.forEach(function (r) {
    var users = Object.keys(reposUsing[r.id] || {}).length;
    var node = { group: 'nodes', classes: users > 1 ? 'shared' : '', data: { id: r.id, label: r.within ? r.id.slice(0, r.id.length - r.within.length - 3) : r.id, type: 'resource', kind: r.kind, repos: users,
      colour: FAMILY_COLOURS[r.family] || '#94a3b8', shape: r.family === 'relational' || r.family === 'document' ? 'barrel' : 'ellipse' } };
    if (r.within && repoNames[r.within]) node.data.parent = 'repo:' + r.within;
    elements.push(node);
  });
  data.edges.forEach(function (e, i) { elements.push({ group: 'edges', data: { id: 'e' + i, source: e.app, target: e.resource, label: e.profiles.join(', ') } }); });
  var cy = window.cytoscape({
    container: document.getElementById('graph'),
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      // Labels appear as the reader zooms in: none drawn smaller than 7 px on screen.
      { selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'min-zoomed-font-size': 7, 'text-valign': 'bottom', 'text-margin-y': 3, color: '#1f2937', 'text-max-width': 160, 'text-wrap': 'ellipsis' } },
      { selector: 'node[type = "repo"]', style: { shape: 'round-rectangle', 'background-color': '#f1f5f9', 'border-width': 1, 'border-color': '#94a3b8', 'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -4, 'font-size': 12, 'min-zoomed-font-size': 5, color: '#334155', padding: 12 } },
      { selector: 'node.shared', style: { 'border-width': 3, 'border-color': '#0f172a', width: 22, height: 22, 'font-weight': 'bold' } },
      { selector: 'node[type = "app"]', style: { shape: 'round-rectangle', 'background-color': '#2563eb', width: 26, height: 18, 'font-weight': 'bold' } },
      { selector: 'node[type = "resource"]', style: { shape: 'data(shape)', 'background-color': 'data(colour)', width: 16, height: 16 } },
      { selector: 'edge', style: { width: 1, 'line-color': '#cbd5e1', 'target-arrow-color': '#cbd5e1', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 8, color: '#64748b' } },
      { selector: '.hidden', style: { display: 'none' } },
      { selector: '.chosen', style: { 'border-width': 3, 'border-color': '#111827' } },
    ],
    // fCoSE: force-directed, with compound nodes (repositories) kept apart and their members packed inside.
    layout: { name: 'fcose', animate: false, quality: 'default', randomize: true, nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; }, nestingFactor: 0.4, gravity: 0.3, packComponents: true, nodeSeparation: 60 },
  });
  cy.on('tap', 'node[type = "app"]', function (evt) { choose(evt.target.id()); });
  cy.on('tap', 'node[type = "resource"]', function (evt) { search.value = evt.target.id(); state.search = evt.target.id().toLowerCase(); update(); });

  function choose(appId) {
    state.app = appId;
    update();
    focus(cy.getElementById(appId));
    document.getElementById('app-panel').scrollIntoView({ block: 'nearest' });
  }

  // The graph's view on some nodes: fitted to them, but never zoomed out past where their labels can be read (the
  // first of them is then centred) nor in past twice the drawn size.
  var LEGIBLE_ZOOM = 1;
  function focus(nodes) {
    if (nodes.length === 0) return;
    var around = nodes.union(nodes.filter('[type = "app"]').neighborhood('node')).filter(function (n) { return !n.hasClass('hidden') && n.data('type') !== 'repo'; });
    // With the repositories that hold them, whose labels sit above their boxes.
    cy.fit((around.length ? around : nodes).union(nodes.parent()), 30);
    if (cy.zoom() > 2) cy.zoom({ level: 2, position: nodes[0].position() });
    if (cy.zoom() < LEGIBLE_ZOOM) { cy.zoom(LEGIBLE_ZOOM); cy.center(nodes[0]); }
  }

  function shortRepo(r) { var parts = String(r).split(/[\\/]/).filter(Boolean); return parts.length ? parts[parts.length - 1] : String(r); }

  function where(places) { return places.length > 1 ? places[0] + ' (+' + (places.length - 1) + ')' : places[0]; }

  // Connections rolled up per app × resource, as the terminal table does.
  function rollUp(conns) {
    var groups = {};
    var order = [];
    conns.forEach(function (c) {
      var k = c.app + '\u0000' + c.resource;
      if (!groups[k]) { groups[k] = []; order.push(k); }
      groups[k].push(c);
    });
    return order.map(function (k) {
      var cs = groups[k];
      var uniq = function (f) { return cs.map(f).filter(function (v, i, a) { return v && a.indexOf(v) === i; }).sort().join(', '); };
      return { app: cs[0].app, kind: cs[0].kind, resource: cs[0].resource, user: uniq(function (c) { return c.username; }),
        password: cs.some(function (c) { return c.password === 'HARDCODED'; }) ? 'HARDCODED' : uniq(function (c) { return c.password; }),
        scopes: uniq(function (c) { return c.scope; }), profiles: uniq(function (c) { return c.profile; }),
        where: where(cs.map(function (c) { return c.file + ':' + c.line; }).filter(function (v, i, a) { return a.indexOf(v) === i; })) };
    });
  }

  function fillTable(id, head, rows, limit) {
    var table = document.getElementById(id);
    table.textContent = '';
    table.appendChild(el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', { text: h }); }))]));
    var body = el('tbody');
    rows.slice(0, limit).forEach(function (r) {
      body.appendChild(el('tr', { className: r.className || '' }, r.cells.map(function (c) { return el('td', { text: c == null ? '' : String(c) }); })));
    });
    table.appendChild(body);
    var more = document.getElementById(id + '-more');
    more.textContent = rows.length > limit ? (rows.length - limit) + ' more rows not shown: narrow the filters, or use -f json' : '';
  }

  // Apps grouped under their repository (so three apps named server are told apart); a search lists only the apps
  // it reaches.
  function renderAppList(shownApps) {
    var list = document.getElementById('app-list');
    list.textContent = '';
    var byRepo = {};
    data.apps.forEach(function (a) { if (!state.search || shownApps[a.id]) (byRepo[a.repo] = byRepo[a.repo] || []).push(a); });
    Object.keys(byRepo).sort().forEach(function (r) {
      var group = el('div', { className: 'repo-group', 'data-repo': r });
      group.appendChild(el('div', { className: 'repo-name', title: r, text: shortRepo(r) }));
      byRepo[r].forEach(function (a) {
        var item = el('button', { className: 'app' + (state.app === a.id ? ' chosen' : ''), 'data-app': a.name, type: 'button', text: a.name });
        item.addEventListener('click', function () { choose(a.id); });
        group.appendChild(item);
      });
      list.appendChild(group);
    });
    if (!list.firstChild) list.appendChild(el('p', { className: 'hint', text: 'No app matches the search.' }));
  }

  function renderAppPanel(conns, secrets) {
    var panel = document.getElementById('app-panel');
    panel.textContent = '';
    if (!state.app) { panel.appendChild(el('p', { className: 'hint', text: 'Choose an app in the list or the graph to see what it connects to.' })); return; }
    var a = appOf(state.app);
    // Served by \`cmdb-scan serve\`: the app and each resource link to their own answers, to share in an incident.
    panel.appendChild(el('h3', { text: a.name }, data.served ? [document.createTextNode(' '), el('a', { href: '/apps/' + encodeURIComponent(a.name), className: 'permalink', text: 'link' })] : []));
    var facts = [['repository', a.repo], ['root', a.root], ['Jenkins job', a.jenkinsJob || '—'], ['owners', a.owners.join(', ') || '—']];
    panel.appendChild(el('dl', {}, facts.reduce(function (acc, f) { acc.push(el('dt', { text: f[0] }), el('dd', { text: f[1] })); return acc; }, [])));
    var mine = rollUp(conns.filter(function (c) { return c.app === state.app; }));
    var byKind = {};
    mine.forEach(function (r) { (byKind[r.kind] = byKind[r.kind] || []).push(r); });
    Object.keys(byKind).sort().forEach(function (k) {
      panel.appendChild(el('h4', { text: k + ' (' + byKind[k].length + ')' }));
      panel.appendChild(el('ul', {}, byKind[k].map(function (r) {
        var text = (r.profiles ? ' [' + r.profiles + ']' : '') + (r.password === 'HARDCODED' ? ' — password hard-coded' : '') + ' — ' + r.where;
        if (!data.served) return el('li', { text: r.resource + text });
        var target = r.resource.replace(/ \(.*\)$/, '');
        return el('li', {}, [el('a', { href: '/uses?target=' + encodeURIComponent(target), title: 'who else uses it', text: r.resource }), document.createTextNode(text)]);
      })));
    });
    if (mine.length === 0) panel.appendChild(el('p', { className: 'hint', text: 'No connections under the current filters.' }));
    var own = secrets.filter(function (s) { return s.app === state.app; });
    if (own.length) {
      panel.appendChild(el('h4', { text: 'secrets (' + own.length + ')' }));
      panel.appendChild(el('ul', {}, own.map(function (s) { return el('li', { className: 'sev-' + s.severity, text: s.severity + ' ' + s.kind + ' ' + s.masked + ' — ' + s.file + ':' + s.line }); })));
    }
  }

  function update() {
    var conns = data.connections.filter(connectionShown);
    var secrets = data.secrets.filter(secretShown).sort(function (x, y) { return SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line); });
    var shownEdges = {};
    conns.forEach(function (c) { shownEdges[c.app + '\u0000' + c.node] = true; });
    cy.batch(function () {
      cy.edges().forEach(function (e) { e.toggleClass('hidden', !shownEdges[e.data('source') + '\u0000' + e.data('target')]); });
      cy.nodes('[type != "repo"]').forEach(function (n) {
        var visible = n.connectedEdges().some(function (e) { return !e.hasClass('hidden'); })
          || (n.data('type') === 'app' && (state.search ? lower(n.data('label')).indexOf(state.search) >= 0 : n.connectedEdges().length === 0));
        n.toggleClass('hidden', !visible);
        n.toggleClass('chosen', n.id() === state.app);
      });
      // A repository shows while any of its members does (hiding a compound node hides what it holds).
      cy.nodes('[type = "repo"]').forEach(function (n) { n.toggleClass('hidden', !n.children().some(function (c) { return !c.hasClass('hidden'); })); });
    });
    var shownApps = {};
    cy.nodes('[type = "app"]').forEach(function (n) { if (!n.hasClass('hidden')) shownApps[n.id()] = true; });
    var rows = rollUp(conns).map(function (r) { return { cells: [appOf(r.app).name, r.kind, r.resource, r.user, r.password, r.scopes, r.profiles, r.where] }; });
    fillTable('connections', ['app', 'kind', 'resource', 'user', 'password', 'scopes', 'profiles', 'where'], rows, 2000);
    fillTable('secrets', ['severity', 'kind', 'masked', 'fingerprint', 'app', 'opens', 'scope', 'where'], secrets.map(function (s) {
      return { className: 'sev-' + s.severity, cells: [s.severity, s.kind, s.masked, s.fingerprint.slice(0, 12), appOf(s.app).name, s.resource, s.scope, s.file + ':' + s.line] };
    }), 2000);
    renderAppList(shownApps);
    renderAppPanel(conns, secrets);
    // A search moves the view to what it found, at a size that can be read.
    if (state.search !== lastSearch) {
      lastSearch = state.search;
      if (state.search) focus(cy.nodes('[type = "app"]').filter(function (n) { return !n.hasClass('hidden'); }));
      else cy.fit(undefined, 20);
    }
    var visibleNodes = cy.nodes().filter(function (n) { return !n.hasClass('hidden'); });
    document.getElementById('status').textContent = visibleNodes.filter('[type = "app"]').length + ' apps, ' + visibleNodes.filter('[type = "resource"]').length
      + ' resources, ' + rows.length + ' app × resource pairs, ' + secrets.length + ' secrets shown';
  }

  var lastSearch = '';
  update();
  cy.fit(undefined, 20);
  window.cmdbReport = { cy: cy, state: state, update: update, choose: choose };
})();
`;
