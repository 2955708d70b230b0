/* The therapist's desk: the form's behaviour. No framework, no inline script
 * (the page's Content-Security-Policy forbids it), nothing fetched from
 * elsewhere. Every action posts the form to this server with the page's
 * CSRF token; the server builds the session with the library, which checks
 * every field, and each problem comes back with the field it concerns. */
'use strict';
(function () {
  const form = document.getElementById('sheet');
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const strings = document.getElementById('strings').dataset;
  const status = document.getElementById('status');
  const problems = document.getElementById('problems');
  const frame = document.getElementById('preview');
  const empty = document.getElementById('preview-empty');
  let pdfUrl = null;
  let busy = false;

  /* ----- the body diagram and the list of areas, kept in step ----- */
  const boxes = new Map();
  form.querySelectorAll('input[name="area"]').forEach(function (box) { boxes.set(box.value, box); });
  const regions = document.querySelectorAll('#body .region');
  function paint() {
    regions.forEach(function (r) {
      const box = boxes.get(r.dataset.region);
      const on = !!(box && box.checked);
      r.classList.toggle('picked', on);
      r.setAttribute('aria-checked', on ? 'true' : 'false');
    });
  }
  regions.forEach(function (r) {
    const box = boxes.get(r.dataset.region);
    if (!box) return;
    r.setAttribute('tabindex', '0');
    r.setAttribute('role', 'checkbox');
    r.setAttribute('aria-label', box.closest('label').textContent.trim());
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = box.closest('label').textContent.trim();
    r.appendChild(title);
    function toggle() { box.checked = !box.checked; paint(); }
    r.addEventListener('click', toggle);
    r.addEventListener('keydown', function (e) {
      if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(); }
    });
  });
  boxes.forEach(function (box) { box.addEventListener('change', paint); });
  paint();

  /* ----- a tip's dose is enabled with its tip ----- */
  form.querySelectorAll('input[name="tip"]').forEach(function (box) {
    const dose = document.getElementById('dose-' + box.value);
    function sync() { if (dose) dose.disabled = !box.checked; }
    box.addEventListener('change', sync);
    sync();
  });

  /* ----- programmes: one click fills techniques, areas, pressure, tips ----- */
  document.querySelectorAll('button[data-preset]').forEach(function (b) {
    b.addEventListener('click', function () {
      const p = JSON.parse(b.dataset.preset);
      form.querySelectorAll('input[name="technique"], input[name="area"], input[name="tip"]')
        .forEach(function (x) { x.checked = false; });
      (p.techniques || []).forEach(function (id) { tick('technique', id); });
      (p.areas || []).forEach(function (id) { tick('area', id); });
      (p.tips || []).forEach(function (t) {
        const box = tick('tip', t.id);
        const dose = document.getElementById('dose-' + t.id);
        if (dose) dose.value = t.dose || dose.defaultValue;
        if (box) box.dispatchEvent(new Event('change'));
      });
      form.querySelectorAll('input[name="tip"]').forEach(function (x) { x.dispatchEvent(new Event('change')); });
      if (p.pressure) form.elements.pressure.value = p.pressure;
      if (p.notes) form.elements.notes.value = p.notes;
      paint();
      say(b.textContent.trim() + ' ✓');
    });
  });
  function tick(name, value) {
    const box = form.querySelector('input[name="' + name + '"][value="' + CSS.escape(value) + '"]');
    if (box) box.checked = true;
    return box;
  }

  /* ----- clients from the records folder, as the name is typed ----- */
  const list = document.getElementById('clients');
  const nameInput = form.elements.client;
  let known = [];
  let timer = 0;
  nameInput.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
    const hit = known.find(function (c) { return c.name === nameInput.value; });
    if (hit) {
      form.elements.client_id.value = hit.id;
      if (hit.email && !form.elements.email.value) form.elements.email.value = hit.email;
    }
  });
  function lookUp() {
    const q = nameInput.value.trim();
    if (!q) return;
    fetch('/api/clients?q=' + encodeURIComponent(q), { headers: { 'X-Handout-CSRF': csrf } })
      .then(function (r) { return r.ok ? r.json() : { clients: [] }; })
      .then(function (j) {
        known = j.clients || [];
        list.replaceChildren();
        known.forEach(function (c) {
          const o = document.createElement('option');
          o.value = c.name;
          o.label = c.id + (c.last ? ' · ' + c.last : '');
          list.appendChild(o);
        });
      })
      .catch(function () {});
  }

  /* ----- problems next to the fields they concern ----- */
  function clearProblems() {
    document.querySelectorAll('.err[data-field]').forEach(function (p) { p.replaceChildren(); });
    document.querySelectorAll('[aria-invalid]').forEach(function (x) { x.removeAttribute('aria-invalid'); });
    problems.replaceChildren();
  }
  function showProblems(diags) {
    let first = null;
    diags.forEach(function (d) {
      if (d.severity !== 'error' && d.severity !== 'warning') return;
      const slot = d.field ? document.getElementById('err-' + d.field) : null;
      const line = document.createElement('span');
      line.textContent = d.message;
      if (d.hint) {
        const fix = document.createElement('span');
        fix.className = 'fix';
        fix.textContent = d.hint;
        line.appendChild(fix);
      }
      if (slot) {
        slot.appendChild(line);
        const input = document.getElementById('f-' + d.field) ||
          (slot.previousElementSibling && slot.previousElementSibling.querySelector('input, select, textarea'));
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          if (!first) first = input;
        }
      } else {
        const li = document.createElement('li');
        li.appendChild(line);
        problems.appendChild(li);
      }
    });
    /* the first field to fix in the page's order, whatever order the problems came in */
    first = form.querySelector('[aria-invalid="true"]') || first;
    if (first) first.focus();
  }
  function say(text) { status.textContent = text; }

  /* ----- the actions ----- */
  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      headers: { 'X-Handout-CSRF': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body,
      credentials: 'same-origin'
    });
  }
  function formBody() {
    return new URLSearchParams(new FormData(form)).toString();
  }
  /* The answer to an action: a PDF (shown in the page), or JSON with the
   * problems or what was done. */
  function handle(r) {
    const type = r.headers.get('Content-Type') || '';
    if (type.indexOf('application/pdf') === 0) {
      const name = fileName(r, 'sheet.pdf');
      return r.blob().then(function (b) { return { pdf: b, name: name }; });
    }
    if (type.indexOf('message/rfc822') === 0) {
      const name = fileName(r, 'sheet.eml');
      return r.blob().then(function (b) { return { eml: b, name: name }; });
    }
    if (type.indexOf('application/json') === 0)
      return r.json().then(function (j) { j.status = r.status; return j; });
    return r.text().then(function (t) { return { status: r.status, error: t }; });
  }
  /* The file name the server gave: filename* (RFC 5987, UTF-8) first. */
  function fileName(r, fallback) {
    const cd = r.headers.get('Content-Disposition') || '';
    const star = /filename\*=UTF-8''([^;]+)/.exec(cd);
    if (star) {
      try { return decodeURIComponent(star[1]); } catch (e) { /* the plain one below */ }
    }
    return (/filename="([^"]+)"/.exec(cd) || [])[1] || fallback;
  }
  function show(result) {
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    pdfUrl = URL.createObjectURL(result.pdf);
    frame.hidden = false;
    empty.hidden = true;
    frame.src = pdfUrl;
    frame.dataset.bytes = String(result.pdf.size);
    window.deskLastPdf = result.pdf; /* what the page shows, for tests */
    return pdfUrl;
  }
  function run(action) {
    if (busy) return;
    busy = true;
    document.querySelectorAll('.buttons button').forEach(function (b) { b.disabled = true; });
    clearProblems();
    say(strings.working);
    const started = performance.now();
    const path = action === 'save' ? '/api/save' : action === 'report' ? '/api/report'
      : action === 'mail' ? '/api/mail' : '/api/sheet';
    post(path, formBody()).then(handle).then(function (res) {
      const ms = Math.round(performance.now() - started);
      document.body.dataset.lastMs = String(ms);
      if (res.pdf) {
        const url = show(res);
        if (action === 'download') {
          const a = document.createElement('a');
          a.href = url;
          a.download = res.name;
          document.body.appendChild(a);
          a.click();
          a.remove();
        } else if (action === 'print') {
          frame.addEventListener('load', function once() {
            frame.removeEventListener('load', once);
            try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.open(url); }
          });
        }
        say(strings.ready + ' (' + res.name + ', ' + ms + ' ms)');
        return;
      }
      if (res.eml) {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(res.eml);
        a.download = res.name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        say(strings.ready + ' (' + res.name + ')');
        return;
      }
      if (res.diags) showProblems(res.diags);
      if (res.ok) {
        say((res.message || strings.saved) + (res.path ? ': ' + res.path : ''));
      } else if (res.diags && res.diags.length) {
        say(strings.fix);
      } else if (res.status === 413 || res.status === 403 || res.status === 401) {
        /* refused before the form was read, so before the page's language
         * was known: the page words it (too big, a page from before a
         * restart of the desk, a login that ran out) */
        say(res.status === 413 ? strings.tooBig : res.status === 403 ? strings.stale : strings.login);
      } else {
        say(strings.failed + ' ' + (res.error || res.status));
      }
    }).catch(function (e) {
      say(strings.failed + ' ' + e);
    }).finally(function () {
      busy = false;
      document.querySelectorAll('.buttons button').forEach(function (b) { b.disabled = false; });
    });
  }
  /* the PDF's password is asked for only when it is wanted */
  const protect = document.getElementById('f-mail_protect');
  const mailPw = document.getElementById('f-mail_password');
  if (protect && mailPw) {
    const syncPw = function () { mailPw.hidden = !protect.checked; };
    protect.addEventListener('change', syncPw);
    syncPw();
  }
  document.querySelectorAll('.buttons button[data-action]').forEach(function (b) {
    b.addEventListener('click', function () { run(b.dataset.action); });
  });
  /* Ctrl+Enter (or Cmd+Enter) anywhere in the form previews the sheet. */
  form.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run('preview'); }
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); run('preview'); });
})();
