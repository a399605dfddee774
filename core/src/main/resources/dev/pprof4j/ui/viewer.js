// The pprof4j viewer: fetches a profile from this mount point, decodes its
// gzipped protobuf (perftools.profiles.Profile) and draws a flame graph, a
// top table and the heap's growth. State lives in the URL's query, so that a
// view can be linked: ?profile=heap&sample=inuse_space&focus=Cache&lines=1&view=top&sort=cum; growth=N
// opens the growth view over the next N seconds.
'use strict';

const pprof = (() => {

  // ---- Decoding: the protobuf wire format, the fields of profile.proto ----

  class Reader {
    constructor(bytes, start = 0, end = bytes.length) {
      this.bytes = bytes;
      this.pos = start;
      this.end = end;
    }

    more() {
      return this.pos < this.end;
    }

    // An int64 as a Number. Up to seven bytes (49 bits) it adds up exactly; a longer one, a negative
    // value's ten bytes among them, is read again as a BigInt.
    varint() {
      const start = this.pos;
      let value = 0;
      let scale = 1;
      let byte;
      do {
        if (this.pos >= this.end) {
          throw new Error('truncated varint');
        }
        byte = this.bytes[this.pos++];
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte & 0x80);
      if (this.pos - start <= 7) {
        return value;
      }
      let big = 0n;
      for (let p = this.pos - 1; p >= start; p--) {
        big = (big << 7n) | BigInt(this.bytes[p] & 0x7f);
      }
      return Number(BigInt.asIntN(64, big));
    }

    sub() {
      const length = this.varint();
      if (length < 0 || this.pos + length > this.end) {
        throw new Error('truncated field');
      }
      const sub = new Reader(this.bytes, this.pos, this.pos + length);
      this.pos += length;
      return sub;
    }

    string() {
      const sub = this.sub();
      return new TextDecoder().decode(this.bytes.subarray(sub.pos, sub.end));
    }

    // Repeated varints, packed or not.
    varints(wireType, into) {
      if (wireType === 2) {
        const sub = this.sub();
        while (sub.more()) {
          into.push(sub.varint());
        }
      } else {
        into.push(this.varint());
      }
    }

    skip(wireType) {
      switch (wireType) {
        case 0: this.varint(); return;
        case 1: this.pos += 8; break;
        case 2: this.sub(); return;
        case 5: this.pos += 4; break;
        default: throw new Error('unknown wire type ' + wireType);
      }
      if (this.pos > this.end) {
        throw new Error('truncated field');
      }
    }

    fields(each) {
      while (this.more()) {
        const key = this.varint();
        each(Math.floor(key / 8), key & 7);
      }
    }
  }

  function decode(bytes) {
    const raw = {sampleType: [], sample: [], location: [], function: [], strings: [], comment: [],
      period: 0, timeNanos: 0, durationNanos: 0, defaultSampleType: 0};
    const reader = new Reader(bytes);
    reader.fields((field, type) => {
      switch (field) {
        case 1: raw.sampleType.push(valueType(reader.sub())); break;
        case 2: raw.sample.push(sample(reader.sub())); break;
        case 4: raw.location.push(location(reader.sub())); break;
        case 5: raw.function.push(func(reader.sub())); break;
        case 6: raw.strings.push(reader.string()); break;
        case 9: raw.timeNanos = reader.varint(); break;
        case 10: raw.durationNanos = reader.varint(); break;
        case 12: raw.period = reader.varint(); break;
        case 13: reader.varints(type, raw.comment); break;
        case 14: raw.defaultSampleType = reader.varint(); break;
        default: reader.skip(type);
      }
    });
    return resolve(raw);
  }

  function valueType(r) {
    const t = {type: 0, unit: 0};
    r.fields((field, type) => {
      if (field === 1) t.type = r.varint();
      else if (field === 2) t.unit = r.varint();
      else r.skip(type);
    });
    return t;
  }

  function sample(r) {
    const s = {locationId: [], value: [], label: []};
    r.fields((field, type) => {
      if (field === 1) r.varints(type, s.locationId);
      else if (field === 2) r.varints(type, s.value);
      else if (field === 3) s.label.push(label(r.sub()));
      else r.skip(type);
    });
    return s;
  }

  function label(r) {
    const l = {key: 0, str: 0, num: 0, numUnit: 0};
    r.fields((field, type) => {
      if (field === 1) l.key = r.varint();
      else if (field === 2) l.str = r.varint();
      else if (field === 3) l.num = r.varint();
      else if (field === 4) l.numUnit = r.varint();
      else r.skip(type);
    });
    return l;
  }

  function location(r) {
    const l = {id: 0, line: []};
    r.fields((field, type) => {
      if (field === 1) l.id = r.varint();
      else if (field === 4) {
        const line = {functionId: 0, line: 0};
        const sub = r.sub();
        sub.fields((f, t) => {
          if (f === 1) line.functionId = sub.varint();
          else if (f === 2) line.line = sub.varint();
          else sub.skip(t);
        });
        l.line.push(line);
      } else r.skip(type);
    });
    return l;
  }

  function func(r) {
    const f = {id: 0, name: 0, filename: 0};
    r.fields((field, type) => {
      if (field === 1) f.id = r.varint();
      else if (field === 2) f.name = r.varint();
      else if (field === 4) f.filename = r.varint();
      else r.skip(type);
    });
    return f;
  }

  // The decoded profile, strings resolved: each sample's frames leaf first, an inlined call's frames in order.
  function resolve(raw) {
    const str = i => raw.strings[i] ?? '';
    const functions = new Map(raw.function.map(f => [f.id, {name: str(f.name), file: str(f.filename)}]));
    const locations = new Map(raw.location.map(l => [l.id, l.line.map(line => {
      const f = functions.get(line.functionId) || {name: '?', file: ''};
      return {name: f.name, file: f.file, line: line.line};
    })]));
    const sampleTypes = raw.sampleType.map(t => ({type: str(t.type), unit: str(t.unit)}));
    const samples = raw.sample.map(s => {
      const frames = [];
      for (const id of s.locationId) {
        frames.push(...(locations.get(id) || [{name: '?', file: '', line: 0}]));
      }
      const labels = Object.create(null);
      for (const l of s.label) {
        if (l.str) labels[str(l.key)] = str(l.str);
      }
      return {frames, values: s.value, labels};
    });
    const defaultType = raw.defaultSampleType ? str(raw.defaultSampleType) : '';
    let defaultIndex = sampleTypes.findIndex(t => t.type === defaultType);
    if (defaultIndex < 0) defaultIndex = sampleTypes.length - 1;
    return {sampleTypes, samples, defaultIndex, comments: raw.comment.map(str),
      timeNanos: raw.timeNanos, durationNanos: raw.durationNanos};
  }

  async function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function parse(bytes) {
    return decode(bytes[0] === 0x1f && bytes[1] === 0x8b ? await gunzip(bytes) : bytes);
  }

  // ---- Shaping: filters, the call tree, the top table ----

  function frameKey(frame, byLine) {
    return byLine ? frame.name + ' ' + shortFile(frame.file) + ':' + frame.line : frame.name;
  }

  function shortFile(file) {
    return file.slice(file.lastIndexOf('/') + 1);
  }

  function matches(regexp, frame) {
    return regexp.test(frame.name) || (frame.file && regexp.test(frame.file + ':' + frame.line));
  }

  // Samples with their value at `index`, cut as go tool pprof's -focus, -hide and -tagfocus do.
  function select(profile, index, filters) {
    const rows = [];
    for (const s of profile.samples) {
      const value = s.values[index] || 0;
      if (value === 0) continue;
      if (filters.tag && s.labels[filters.tag.key] !== filters.tag.value) continue;
      if (filters.focus && !s.frames.some(f => matches(filters.focus, f))) continue;
      const frames = filters.hide ? s.frames.filter(f => !matches(filters.hide, f)) : s.frames;
      if (frames.length > 0) rows.push({frames, value});
    }
    return rows;
  }

  function tree(rows, byLine) {
    const root = {name: 'root', frame: null, value: 0, children: new Map()};
    for (const row of rows) {
      root.value += row.value;
      let node = root;
      for (let i = row.frames.length - 1; i >= 0; i--) {
        const frame = row.frames[i];
        const key = frameKey(frame, byLine);
        let child = node.children.get(key);
        if (!child) {
          child = {name: key, frame, value: 0, children: new Map()};
          node.children.set(key, child);
        }
        child.value += row.value;
        node = child;
      }
    }
    return root;
  }

  function top(rows, byLine) {
    const byKey = new Map();
    let total = 0;
    for (const row of rows) {
      total += row.value;
      const seen = new Set();
      row.frames.forEach((frame, depth) => {
        const key = frameKey(frame, byLine);
        let entry = byKey.get(key);
        if (!entry) {
          entry = {name: key, frame, flat: 0, cum: 0};
          byKey.set(key, entry);
        }
        if (depth === 0) entry.flat += row.value;
        if (!seen.has(key)) {
          seen.add(key);
          entry.cum += row.value;
        }
      });
    }
    return {entries: [...byKey.values()], total};
  }

  // Rows of `now` less `before`, by stack and labels, that grew.
  function growth(now, before, index) {
    const key = s => s.frames.map(f => f.name + '\u0000' + f.file + '\u0000' + f.line).join('\u0001')
      + '\u0002' + Object.keys(s.labels).sort().map(k => k + '=' + s.labels[k]).join('\u0001');
    const byStack = new Map();
    for (const s of now.samples) {
      const k = key(s);
      const row = byStack.get(k) || {frames: s.frames, labels: s.labels, values: [0]};
      row.values[0] += s.values[index] || 0;
      byStack.set(k, row);
    }
    for (const s of before.samples) {
      const k = key(s);
      const row = byStack.get(k) || {frames: s.frames, labels: s.labels, values: [0]};
      row.values[0] -= s.values[index] || 0;
      byStack.set(k, row);
    }
    return {sampleTypes: [now.sampleTypes[index]], defaultIndex: 0, comments: [],
      samples: [...byStack.values()].filter(row => row.values[0] > 0)};
  }

  function format(value, unit) {
    const abs = Math.abs(value);
    if (unit === 'bytes') {
      for (const [size, name] of [[2 ** 30, 'GB'], [2 ** 20, 'MB'], [2 ** 10, 'kB']]) {
        if (abs >= size) return (value / size).toFixed(2) + name;
      }
      return value + 'B';
    }
    if (unit === 'nanoseconds') {
      if (abs >= 1e9) return (value / 1e9).toFixed(2) + 's';
      if (abs >= 1e6) return (value / 1e6).toFixed(2) + 'ms';
      return (value / 1e3).toFixed(2) + 'µs';
    }
    return String(value);
  }

  return {parse, select, tree, top, growth, format, frameKey, shortFile};
})();

// ---- The page ----

(() => {
  const $ = id => document.getElementById(id);
  const query = new URLSearchParams(location.search);
  const state = {profile: null, name: '', baseline: null, view: query.get('view') || 'flame', zoom: [],
    loads: 0, watches: 0, sample: query.get('sample') || ''};
  const ROW = 18;
  const NOT_VIEWABLE = new Set(['cmdline', 'trace', 'symbol']);

  function setStatus(text, kind) {
    const status = $('status');
    status.textContent = text;
    status.className = kind || '';
    document.body.dataset.state = kind === 'error' ? 'error' : kind === 'busy' ? 'loading' : 'ready';
  }

  // The profiles the index lists, as the browser reads its links (entities and escapes undone).
  async function profileNames() {
    const res = await fetch('../', {cache: 'no-store'});
    if (!res.ok) throw new Error('the index answered ' + res.status + ': ' + (await res.text()).trim());
    const index = new DOMParser().parseFromString(await res.text(), 'text/html');
    const names = [...index.querySelectorAll('a[href$="?debug=1"]')]
      .map(a => decodeURIComponent(a.getAttribute('href').slice(0, -'?debug=1'.length)));
    return names.filter(name => !NOT_VIEWABLE.has(name));
  }

  function profileUrl(name, extra) {
    const params = new URLSearchParams(extra || {});
    if (name === 'profile') params.set('seconds', $('seconds').value || '10');
    if ((name === 'heap' || name === 'allocs') && $('gc').checked) params.set('gc', '1');
    const q = params.toString();
    return '../' + encodeURIComponent(name) + (q ? '?' + q : '');
  }

  async function fetchProfile(url) {
    let res;
    try {
      res = await fetch(url, {cache: 'no-store'});
    } catch (e) {
      throw new Error('network error: ' + e.message + ' (is the service still up?)');
    }
    if (!res.ok) {
      const body = (await res.text()).trim();
      throw new Error(res.status + ' ' + (res.statusText || '') + ': ' + body);
    }
    return pprof.parse(new Uint8Array(await res.arrayBuffer()));
  }

  function regexp(input, what) {
    const text = $(input).value;
    if (!text) return null;
    try {
      return new RegExp(text);
    } catch (e) {
      throw new SyntaxError(what + ': ' + e.message);
    }
  }

  function filters() {
    const tag = $('tag').value;
    const at = tag.indexOf('=');
    return {focus: regexp('focus', 'focus'), hide: regexp('hide', 'hide'),
      tag: tag ? {key: tag.slice(0, at), value: tag.slice(at + 1)} : null};
  }

  async function load() {
    const name = $('profile').value;
    state.name = name;
    state.zoom = [];
    const url = profileUrl(name);
    $('download').href = url;
    $('download').download = name + '.pb.gz';
    $('command').textContent = 'go tool pprof ' + new URL(url, location.href).href;
    setStatus(name === 'profile' ? 'recording the CPU for ' + $('seconds').value + ' s…' : 'loading ' + name + '…',
      'busy');
    // A slower answer to an earlier load (a CPU profile still recording) must not replace this one.
    const ticket = ++state.loads;
    let profile;
    try {
      profile = await fetchProfile(url);
    } catch (e) {
      if (ticket !== state.loads) return;
      state.profile = null;
      clear();
      setStatus(name + ': ' + e.message, 'error');
      return;
    }
    if (ticket !== state.loads) return;
    if (profile.sampleTypes.length === 0) {
      state.profile = null;
      clear();
      setStatus(name + ': the profile has no sample types', 'error');
      return;
    }
    state.profile = profile;
    fillSampleTypes();
    fillTags();
    render();
  }

  // The sample type chosen last (or in the address) where this profile has it, else the profile's default.
  function fillSampleTypes() {
    const select = $('sample');
    select.replaceChildren(...state.profile.sampleTypes.map((t, i) => new Option(t.type + ' (' + t.unit + ')', i)));
    const index = state.profile.sampleTypes.findIndex(t => t.type === state.sample);
    select.value = String(index >= 0 ? index : state.profile.defaultIndex);
  }

  function fillTags() {
    const select = $('tag');
    const wanted = select.value || query.get('tag') || '';
    const tags = new Set();
    for (const s of state.profile.samples) {
      for (const [k, v] of Object.entries(s.labels)) tags.add(k + '=' + v);
    }
    select.replaceChildren(new Option('all', ''), ...[...tags].sort().map(t => new Option(t, t)));
    if (tags.has(wanted)) select.value = wanted;
  }

  function clear() {
    $('flame').replaceChildren();
    $('top').tBodies[0].replaceChildren();
  }

  function render() {
    if (!state.profile) return;
    let cut;
    try {
      cut = filters();
      $('filterError').hidden = true;
    } catch (e) {
      $('filterError').textContent = e.message;
      $('filterError').hidden = false;
      return;
    }
    const index = Number($('sample').value);
    const unit = state.profile.sampleTypes[index].unit;
    const byLine = $('lines').checked;
    const rows = pprof.select(state.profile, index, cut);
    if (state.view === 'top') {
      drawTop(pprof.top(rows, byLine), unit);
    } else {
      drawFlame($('flame'), pprof.tree(rows, byLine), unit, searchRegexp(), state.zoom, 'frame');
    }
    const shown = rows.reduce((sum, row) => sum + row.value, 0);
    setStatus(state.name + ': ' + state.profile.sampleTypes[index].type + ' ' + pprof.format(shown, unit)
      + ' in ' + rows.length + ' samples');
  }

  function searchRegexp() {
    try {
      $('filterError').hidden = true;
      return regexp('search', 'search');
    } catch (e) {
      $('filterError').textContent = e.message;
      $('filterError').hidden = false;
      return null;
    }
  }

  function kind(name) {
    if (name.startsWith('[')) return 'synthetic';
    if (/^(java|javax|jdk|sun|com\.sun)\./.test(name)) return 'jdk';
    return 'java';
  }

  // An icicle graph: callers on top, each frame as wide as its share; a click zooms into a frame. Frames
  // narrower than a pixel are left out, and one listener serves them all: a profile at the cap of 4,096
  // stacks draws tens of thousands of frames.
  function drawFlame(container, root, unit, search, zoomPath, className) {
    let base = root;
    const path = [];
    for (const name of zoomPath) {
      const next = base.children.get(name);
      if (!next) break;
      path.push(next);
      base = next;
    }
    const width = container.clientWidth || 1200;
    const nodes = [];
    const trails = [];
    let depth = 0;
    // The zoomed frame's callers, full width above it.
    (path.length ? [root, ...path.slice(0, -1)] : []).forEach((node, i) => {
      nodes.push({node, x: 0, w: width, depth: depth++});
      trails.push(zoomPath.slice(0, i));
    });
    const layout = (node, trail, x, d) => {
      const w = base.value ? node.value / base.value * width : 0;
      if (w < 1) return;
      nodes.push({node, x, w, depth: d});
      trails.push(trail);
      let childX = x;
      for (const child of [...node.children.values()].sort((a, b) => b.value - a.value)) {
        layout(child, [...trail, child.name], childX, d + 1);
        childX += child.value / base.value * width;
      }
    };
    layout(base, path.length ? zoomPath.slice(0, path.length) : [], 0, depth);
    const fragment = document.createDocumentFragment();
    let maxDepth = 0;
    nodes.forEach(({node, x, w, depth: d}, i) => {
      const div = document.createElement('div');
      div.className = className + ' ' + (node.frame ? kind(node.name) : 'synthetic')
        + (search && node.frame && search.test(node.name) ? ' match' : '');
      div.style.cssText = 'left:' + x + 'px;width:' + w + 'px;top:' + d * ROW + 'px';
      if (w > 24) div.textContent = node.name;
      div.dataset.i = i;
      fragment.appendChild(div);
      maxDepth = Math.max(maxDepth, d);
    });
    container.replaceChildren(fragment);
    container.dataset.frames = nodes.length;
    container.style.height = (maxDepth + 1) * ROW + 'px';
    container.onmouseover = event => {
      const node = event.target.dataset.i && nodes[event.target.dataset.i].node;
      if (node && !event.target.title) {
        const share = root.value ? (100 * node.value / root.value).toFixed(2) : '0';
        event.target.title = node.name + (node.frame && node.frame.file ? '\n' + node.frame.file + ':'
          + node.frame.line : '') + '\n' + pprof.format(node.value, unit) + ' (' + share + '%)';
      }
    };
    container.onclick = event => {
      if (!event.target.dataset.i) return;
      const trail = trails[event.target.dataset.i];
      if (container === $('flame')) state.zoom = trail;
      drawFlame(container, root, unit, searchRegexp(), trail, className);
    };
    if (container === $('flame')) {
      $('zoom').textContent = path.length ? 'zoomed into ' + path[path.length - 1].name + ' (click a caller above'
        + ' it to zoom out)' : '';
    }
  }

  let sortBy = ['flat', 'cum', 'name'].includes(query.get('sort')) ? query.get('sort') : 'flat';

  function drawTop(table, unit) {
    const entries = table.entries.sort((a, b) => sortBy === 'name' ? (a.name < b.name ? -1 : 1)
      : b[sortBy] - a[sortBy] || (a.name < b.name ? -1 : 1));
    let sum = 0;
    const pct = v => table.total ? (100 * v / table.total).toFixed(2) + '%' : '0%';
    const rows = entries.slice(0, 500).map(e => {
      sum += e.flat;
      return tableRow(e, [pprof.format(e.flat, unit), pct(e.flat), pct(sum), pprof.format(e.cum, unit), pct(e.cum),
        e.name]);
    });
    $('top').tBodies[0].replaceChildren(...rows);
  }

  function tableRow(entry, texts) {
    const tr = document.createElement('tr');
    for (const text of texts) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    if (entry.frame && entry.frame.file) tr.title = entry.frame.file + ':' + entry.frame.line;
    return tr;
  }

  function drawGrowth(grown, label) {
    const unit = grown.sampleTypes[0].unit;
    const rows = pprof.select(grown, 0, filtersOrNone());
    const byLine = $('lines').checked;
    const root = pprof.tree(rows, byLine);
    drawFlame($('growthFlame'), root, unit, null, [], 'frame growth');
    const table = pprof.top(rows, byLine);
    const pct = v => table.total ? (100 * v / table.total).toFixed(2) + '%' : '0%';
    const order = sortBy === 'cum' ? (a, b) => b.cum - a.cum : (a, b) => b.flat - a.flat;
    $('growthTop').tBodies[0].replaceChildren(...table.entries.sort(order).slice(0, 200).map(e => tableRow(e,
      [pprof.format(e.flat, unit), pct(e.flat), pprof.format(e.cum, unit), pct(e.cum), e.name])));
    $('growthStatus').textContent = label + ': ' + grown.sampleTypes[0].type + ' grew by '
      + pprof.format(table.total, unit);
    document.body.dataset.growth = 'ready';
  }

  function filtersOrNone() {
    try {
      return filters();
    } catch (e) {
      return {};
    }
  }

  function inUseIndex(profile) {
    const index = profile.sampleTypes.findIndex(t => t.type === 'inuse_space');
    return index >= 0 ? index : profile.defaultIndex;
  }

  async function watch() {
    const seconds = Number($('growthSeconds').value) || 60;
    $('growthStatus').textContent = 'comparing two heaps ' + seconds + ' s apart…';
    document.body.dataset.growth = 'loading';
    const ticket = ++state.watches;
    try {
      const delta = await fetchProfile(profileUrl('heap', {seconds: String(seconds)}));
      if (ticket !== state.watches) return;
      drawGrowth(pprof.growth(delta, {samples: []}, inUseIndex(delta)), 'the last ' + seconds + ' s');
    } catch (e) {
      if (ticket !== state.watches) return;
      $('growthStatus').textContent = 'heap: ' + e.message;
      document.body.dataset.growth = 'error';
    }
  }

  async function keepBaseline() {
    try {
      state.baseline = await fetchProfile(profileUrl('heap'));
      state.baselineAt = new Date();
      $('compare').disabled = false;
      $('growthStatus').textContent = 'baseline kept at ' + state.baselineAt.toLocaleTimeString();
    } catch (e) {
      $('growthStatus').textContent = 'heap: ' + e.message;
    }
  }

  async function compare() {
    try {
      const now = await fetchProfile(profileUrl('heap'));
      const seconds = Math.round((Date.now() - state.baselineAt) / 1000);
      drawGrowth(pprof.growth(now, state.baseline, inUseIndex(now)), 'since the baseline, ' + seconds + ' s ago');
    } catch (e) {
      $('growthStatus').textContent = 'heap: ' + e.message;
    }
  }

  function show(view) {
    state.view = view;
    for (const button of document.querySelectorAll('nav button')) {
      button.classList.toggle('selected', button.dataset.view === view);
    }
    $('flameView').hidden = view !== 'flame';
    $('topView').hidden = view !== 'top';
    $('growthView').hidden = view !== 'growth';
    if (view !== 'growth') render();
  }

  async function start() {
    for (const id of ['focus', 'hide', 'search']) $(id).value = query.get(id) || '';
    $('lines').checked = query.get('lines') === '1';
    if (query.has('seconds')) $('seconds').value = query.get('seconds');
    if (query.has('gc')) $('gc').checked = query.get('gc') === '1';
    for (const button of document.querySelectorAll('nav button')) {
      button.addEventListener('click', () => show(button.dataset.view));
    }
    for (const th of document.querySelectorAll('#top th')) {
      th.addEventListener('click', () => {
        sortBy = th.dataset.sort;
        render();
      });
    }
    $('load').addEventListener('click', load);
    $('profile').addEventListener('change', load);
    $('sample').addEventListener('change', () => {
      state.sample = state.profile ? state.profile.sampleTypes[Number($('sample').value)].type : '';
      render();
    });
    for (const id of ['tag', 'lines']) $(id).addEventListener('change', render);
    for (const id of ['focus', 'hide', 'search']) $(id).addEventListener('input', render);
    $('watch').addEventListener('click', watch);
    $('baseline').addEventListener('click', keepBaseline);
    $('compare').addEventListener('click', compare);
    let names;
    try {
      names = await profileNames();
    } catch (e) {
      setStatus('the profiles could not be listed: ' + e.message, 'error');
      return;
    }
    $('profile').replaceChildren(...names.map(n => new Option(n, n)));
    $('profile').value = names.includes(query.get('profile')) ? query.get('profile') : (names.includes('heap')
      ? 'heap' : names[0]);
    show(state.view);
    await load();
    if (query.has('growth')) {
      $('growthSeconds').value = query.get('growth');
      show('growth');
      await watch();
    }
  }

  start();
})();
