/* The mediators' tablet app: renders the day's rosters and keeps every record on the tablet
   (IndexedDB) until the server has it. Plain JavaScript, no build step. */
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("tablet-config").textContent);
  const L = config.labels;
  const DB_NAME = "mediation-tablette";
  const STORE = "records";
  const BATCH_SIZE = 100;
  // Failed tries (answers 500) a round of sending spends finding the records the server
  // breaks on, beyond one per record already known to: enough to find one in a batch of 100.
  const MAX_SPLIT_FAILURES = 8;
  const SYNC_EVERY_MS = 30000;
  // On a weak signal a send can hang for minutes and hold every later one (and signing out)
  // behind it: past this delay it is given up; its records stay pending and go again. The
  // server may have them already: a record sent twice is a duplicate, applied once.
  const SEND_TIMEOUT_MS = 30000;
  // Sent records are kept a few days so a reload offline still shows them; then dropped, and
  // so are refused ones (seen on their cards by then): both hold residents' personal data.
  const KEEP_SENT_MS = 3 * 24 * 3600 * 1000;
  const FIELDS = {
    present: null, outcomes: [], tablet: null, minutes_spent: null, note: "", autonomy: "",
    equipment: "", redirection: "", first_visit: null, age_bracket: "", situation: "",
    gender: "non_communique", withdrawn: false,
  };
  // The server refuses records dated more than an hour in its future, and a clock behind
  // loses conflicts it should win: past this gap, the mediator is asked to set the clock.
  const CLOCK_GAP_MS = 30 * 60 * 1000;
  const HELP = "individual_help";
  const RESET = "tablet_reset";

  let day = null;
  // The day shown is the service worker's copy (opened with no signal), or none: read again
  // as soon as the network answers, even with nothing to send.
  let dayIsCopy = true;
  let records = new Map();
  let needsLogin = false;
  // The last send got no answer the app can read (no answer in time, an error page, a Wi-Fi
  // portal's page): the browser may say "online", the records are not leaving.
  let serverUnreachable = false;
  // The server itself answered the last send with an error (its status, else 0): reached, but
  // the records did not go; if it lasts, a record may be tripping it, and the coordination
  // must know. A gateway's 502, 503 or 504 is a server that does not answer.
  let serverError = 0;
  // UUIDs of the records the server answered 500 to when sent alone (sendPending).
  const brokeTheServer = new Set();
  const GATEWAY_ERRORS = [502, 503, 504];
  // Each batch answered bumps the generation; a day's data asked for before the last answer
  // is stale (a reset or a use it does not know of yet) and is dropped: a newer one follows.
  let syncGeneration = 0;
  // Records answered since the day's data shown was read: still applied on top of it.
  const sentSinceDay = new Set();
  // The day was to be read again after a send and that read did not take (the service
  // worker's copy when the network took more than its 5 s, an error, no signal): read at the
  // next round even with nothing to send, or a card keeps "sent" beside a choice another
  // tablet has since overruled.
  let dayBehind = false;
  const dayRoot = document.getElementById("day");

  // --- Storage on the tablet -------------------------------------------------------------

  const dbPromise = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "uuid" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

  function withStore(mode, work) {
    return dbPromise.then((db) => new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    }));
  }

  // The tablet's storage refused a write (full, or cleared by the browser): what is typed now
  // lives only in this page until it is sent. The header says so, once, in words; the records
  // stay in memory and leave with the next send, and nothing is thrown at the buttons.
  // The reason a pending record carries when the storage refused it (shown on its card).
  const UNSTORED = "unstored";

  async function keepOnTablet(work) {
    try {
      await withStore("readwrite", work);
      return true;
    } catch (error) {
      const warning = document.getElementById("storage-warning");
      if (warning && warning.hidden) {
        warning.textContent = L.storage_failed;
        warning.hidden = false;
        updateStatus();
      }
      return false;
    }
  }

  // Keeps one record (and forgets those it supersedes) on the tablet; a record the storage
  // refused says so on its card.
  async function keepRecord(record, superseded = []) {
    const kept = await keepOnTablet((store) => {
      superseded.forEach((r) => store.delete(r.uuid));
      store.put(record);
      return null;
    });
    if (!kept) record.reason = UNSTORED;
  }

  // Records forgotten here, in memory at once and then on the tablet: a storage that refuses
  // says so in the header, like a refused write (their personal data would stay behind).
  async function forgetRecords(leaving) {
    if (!leaving.length) return;
    leaving.forEach((r) => records.delete(r.uuid));
    await keepOnTablet(deleting(leaving));
  }

  // The same deletion where the caller handles a refusal itself (loading, signing out).
  function deleteFromTablet(leaving) {
    return withStore("readwrite", deleting(leaving));
  }

  function deleting(leaving) {
    return (store) => { leaving.forEach((r) => store.delete(r.uuid)); return null; };
  }

  async function loadRecords() {
    const all = await withStore("readonly", (store) => store.getAll());
    const now = Date.now();
    const old = all.filter((r) => r.state !== "pending" && now - Date.parse(answeredAt(r)) > KEEP_SENT_MS);
    if (old.length) await deleteFromTablet(old);
    records = new Map(all.filter((r) => !old.includes(r)).map((r) => [r.uuid, r]));
  }

  // When the server answered a record (made yesterday, sent this morning), or, for records
  // kept by an older version of the app, when it was made.
  function answeredAt(record) {
    return record.answered_at || record.recorded_at;
  }

  function answeredToday(record) {
    return new Date(answeredAt(record)).toDateString() === new Date().toDateString();
  }

  // Once today's roster is read from the server, the records sent on earlier days are on the
  // server and on no card, and those other accounts left here and already sent (a mediator
  // whose session ran out, who never signed out) are theirs: neither stays on a shared tablet
  // (residents' notes, walk-ins' phones). What is pending stays (the only copy), and so do
  // this account's refusals for their three days (listed until put right).
  async function forgetPastRecords() {
    const today = new Date().toDateString();
    const leaving = [...records.values()].filter((r) => r.state !== "pending"
      && (!isMine(r) || (r.state === "sent" && new Date(r.recorded_at).toDateString() !== today)));
    await forgetRecords(leaving);
  }

  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // --- What is shown for one person: the latest of the server's and the tablet's records --

  function latestLocal(registrationUuid) {
    let best = null;
    for (const record of records.values()) {
      if (record.registration === registrationUuid
        && (!best || Date.parse(record.recorded_at) > Date.parse(best.recorded_at))) best = record;
    }
    return best;
  }

  function currentOf(person) {
    const local = latestLocal(person.uuid);
    const server = person.attendance;
    if (local && (!server || Date.parse(local.recorded_at) >= Date.parse(server.recorded_at))) {
      return { values: local, state: local.state, reason: local.reason || "" };
    }
    // What she recorded here lost to a later record made on another tablet (the record made
    // last wins): the card shows the server's, and says so, instead of "sent" beside values
    // she did not enter.
    const elsewhere = Boolean(local && server && !records.has(server.uuid));
    if (server) return { values: server, state: "sent", reason: "", elsewhere };
    return { values: null, state: "none", reason: "" };
  }

  function localWalkIns(workshop) {
    const known = new Set(workshop.registrations.map((r) => r.uuid));
    const seen = new Map();
    for (const record of records.values()) {
      if (record.workshop === workshop.id && record.walk_in && !known.has(record.registration)
        && !seen.has(record.registration)) {
        seen.set(record.registration, {
          uuid: record.registration, first_name: record.walk_in.first_name, last_name: "",
          status: "confirmed", channel: "walk_in", attendance: null, walk_in: record.walk_in,
        });
      }
    }
    return [...seen.values()];
  }

  // Who is on a workshop's roster here: the day's list and the walk-ins known only here, less
  // the walk-ins taken off it on this tablet (added by mistake) until the server has it too.
  function rosterOf(workshop) {
    return [...workshop.registrations, ...localWalkIns(workshop)].filter((person) => {
      const values = currentOf(person).values;
      return !(values && values.withdrawn);
    });
  }

  // A walk-in added by mistake: one that never left this tablet is forgotten here (nothing
  // about her reaches the server); one the server may hold is withdrawn by a record, which
  // cancels her walk-in there. Either way her card leaves the roster at once.
  async function withdrawWalkIn(workshop, person) {
    const hers = [...records.values()].filter((r) => r.registration === person.uuid);
    const neverLeft = !syncRun && !workshop.registrations.some((p) => p.uuid === person.uuid)
      && hers.every((r) => r.state !== "sent");
    if (neverLeft) {
      await forgetRecords(hers);
      updateStatus();
    } else {
      await saveRecord(workshop, person, { present: false, withdrawn: true });
    }
    renderDay();
    const heading = document.getElementById(`workshop-${workshop.id}`);
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  async function saveRecord(workshop, person, changes) {
    const current = currentOf(person).values || {};
    const record = {};
    for (const [name, fallback] of Object.entries(FIELDS)) {
      record[name] = name in changes ? changes[name] : (name in current ? current[name] : fallback);
    }
    Object.assign(record, {
      uuid: newUuid(), registration: person.uuid, workshop: workshop.id,
      recorded_at: new Date().toISOString(), state: "pending", reason: "", by: config.user,
      // Kept on the tablet only (not sent): if the person leaves her rosters (stop given to
      // another mediator, registration moved), a refusal still says whom it was about.
      name: fullName(person), where: workshopPlace(workshop),
    });
    if (person.walk_in) record.walk_in = person.walk_in;
    // Unsent earlier versions for this person are superseded: send only the latest. A version
    // that lent a tablet since reset on this tablet stays: the fleet must learn of that use
    // before the reset.
    const superseded = [...records.values()].filter(
      (r) => r.registration === person.uuid && r.state === "pending" && !resetSince(r));
    // Out of memory before the write: an answer arriving meanwhile must not store it again.
    superseded.forEach((r) => records.delete(r.uuid));
    records.set(record.uuid, record);
    await keepRecord(record, superseded);
    if ("tablet" in changes || "present" in changes) refreshTablets();
    updateStatus();
    if (navigator.onLine) syncNow();
  }

  // --- Sending -----------------------------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // fetch(), given up after SEND_TIMEOUT_MS (the answer's body read by `read` included):
  // rejects then, as with no signal.
  async function fetchWithin(url, options, read = null) {
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), SEND_TIMEOUT_MS);
    try {
      const response = await fetch(url, { ...options, signal: giveUp.signal });
      if (read) await read(response);
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  function toWire(record) {
    const { state, reason, by, name, where, answered_at: answered, ...wire } = record;
    return wire;
  }

  let syncRun = null;

  function syncNow() {
    // One send at a time; a caller that needs the records sent waits for the current run.
    if (!syncRun) {
      syncRun = sendPending().finally(() => { syncRun = null; }).then((tried) => {
        // Records made while the batch was on its way go at once, not in 30 s.
        const fresh = pendingRecords().some((r) => !tried.has(r.uuid));
        return fresh && navigator.onLine ? syncNow() : undefined;
      });
    }
    return syncRun;
  }

  // Sent as the account signed in, so only this account's records leave: those another
  // mediator left on this shared tablet wait for them (under another name they would be
  // refused, or counted as someone else's work).
  function isMine(record) {
    return record.by === undefined || record.by === config.user;
  }

  function pendingRecords() {
    return [...records.values()].filter((r) => r.state === "pending" && isMine(r));
  }

  // Records of this account refused today (made yesterday and sent this morning included)
  // and not put right since (a newer record about the same person): each leaves someone
  // uncounted, maybe far down the roster.
  function refusedToday() {
    return [...records.values()].filter((r) => r.state === "refused" && isMine(r)
      && answeredToday(r) && (!r.registration || latestLocal(r.registration) === r)).length;
  }

  function othersPending() {
    return [...records.values()].filter((r) => r.state === "pending" && !isMine(r)).length;
  }

  async function sendPending() {
    // Sent in the order they were made, so a tablet's use reaches the fleet before its reset.
    const pending = pendingRecords()
      .sort((a, b) => Date.parse(a.recorded_at) - Date.parse(b.recorded_at));
    const tried = new Set(pending.map((r) => r.uuid));
    if (!pending.length) {
      updateStatus();
      if (dayIsStale() || dayBehind) refreshDay();
      return tried;
    }
    let sent = false;
    // A record the server broke on (a 500 when sent alone) stays pending and is tried again,
    // alone, after the others: it no longer holds back the day's other records.
    let stuck = 0;
    let failures = 0;
    const suspects = pending.filter((r) => brokeTheServer.has(r.uuid));
    const others = pending.filter((r) => !brokeTheServer.has(r.uuid));
    const batches = [];
    for (let start = 0; start < others.length; start += BATCH_SIZE) {
      batches.push(others.slice(start, start + BATCH_SIZE));
    }
    suspects.forEach((record) => batches.push([record]));
    try {
      while (batches.length) {
        const chunk = batches.shift();
        let results;
        const response = await fetchWithin(config.syncUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ records: chunk.map(toWire) }),
        }, async (answer) => {
          if (answer.ok) {
            ({ results } = await answer.json());
            // Read from our server's answer only, not from a Wi-Fi portal's page.
            noteServerTime(answer);
          }
        });
        if (response.status === 401 || response.status === 403) { needsLogin = true; break; }
        if (response.status === 500) {
          // The server may break on one record of the batch: halved, and halved again, the
          // batch finds it in a few tries (seven for 100). Past that many failures the server
          // breaks on everything: the round stops, as for any error.
          failures += 1;
          if (failures > MAX_SPLIT_FAILURES + suspects.length) {
            stuck += 1;
            break;
          }
          if (chunk.length > 1) {
            const half = Math.ceil(chunk.length / 2);
            batches.unshift(chunk.slice(0, half), chunk.slice(half));
          } else {
            brokeTheServer.add(chunk[0].uuid);
            stuck += 1;
          }
          continue;
        }
        if (!response.ok) {
          serverUnreachable = true;
          serverError = GATEWAY_ERRORS.includes(response.status) ? 0 : response.status;
          break;
        }
        needsLogin = false;
        syncGeneration += 1;
        chunk.forEach((record) => brokeTheServer.delete(record.uuid));
        const changed = [];
        for (const answer of results) {
          const record = records.get(answer.uuid);
          // A record superseded while this batch was on its way is no longer kept.
          if (!record) continue;
          record.state = answer.status === "refused" ? "refused" : "sent";
          record.reason = answer.reason || answer.tablet_refused || "";
          record.answered_at = new Date().toISOString();
          // Kept without its lending tablet (the fleet refused it): the picker shows none,
          // as the server holds, and the card says why.
          if (answer.tablet_refused) record.tablet = null;
          if (record.state === "sent") sentSinceDay.add(record.uuid);
          changed.push(record);
        }
        // Only what is still kept when the write runs: a record superseded meanwhile stays out.
        await keepOnTablet((store) => {
          changed.filter((r) => records.get(r.uuid) === r).forEach((r) => store.put(r));
          return null;
        });
        sent = true;
        serverUnreachable = false;
        serverError = 0;
      }
      if (stuck) {
        serverUnreachable = true;
        serverError = 500;
      }
    } catch (error) {
      // No signal: the records stay on the tablet until the next attempt.
      serverUnreachable = true;
      serverError = 0;
    } finally {
      refreshCards();
      refreshTablets();
      updateStatus();
    }
    if (sent) refreshDay();
    return tried;
  }

  async function refreshDay() {
    const generation = syncGeneration;
    dayBehind = true;
    try {
      const response = await fetch(config.dayUrl, { credentials: "same-origin" });
      // The service worker's copy (weak signal) or data read before the last batch was
      // answered would undo what this tablet knows: keep what is shown.
      if (!response.ok || response.headers.get("X-Tablette-Cache")) return;
      noteServerTime(response);
      const fresh = await response.json();
      if (generation !== syncGeneration) return;
      dayBehind = false;
      dayIsCopy = false;
      sentSinceDay.clear();
      if (!dayIsStale(fresh)) forgetPastRecords().catch(() => null);
      const before = rosterKey(day);
      day = fresh;
      // Redrawn only when someone appears or leaves: a redraw loses a half-typed note, the
      // details open and the place on the page.
      if (rosterKey(fresh) !== before) {
        renderDay();
      } else {
        // The cards keep their person, now with what the server holds (another mediator's
        // record included); their buttons' handlers see it too.
        for (const stop of fresh.stops) {
          for (const workshop of stop.workshops) {
            for (const person of workshop.registrations) {
              const shown = cards.get(person.uuid);
              if (shown) Object.assign(shown.person, person);
            }
          }
        }
        refreshTablets();
        refreshCards();
        refreshSeats();
      }
    } catch (error) {
      // Offline: keep what is shown.
    }
  }

  // A copy, nothing yet, or yesterday's roster on a tablet left open overnight.
  function dayIsStale(shown = day) {
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map((n) => String(n).padStart(2, "0")).join("-");
    return dayIsCopy || !shown || shown.date !== today;
  }

  // Who is shown, workshop by workshop: the day's rosters and the walk-ins known only here (a
  // walk-in the server has just received is the same person, already on the screen).
  function rosterKey(data) {
    if (!data) return "";
    return JSON.stringify(data.stops.map((s) => s.workshops.map((w) => {
      const shown = new Set(rosterOf(w).map((r) => r.uuid));
      return [w.id, [...shown].sort()];
    })));
  }

  // --- Rendering ---------------------------------------------------------------------------

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    children.flat().forEach((child) => child && node.append(child));
    return node;
  }

  function select(name, label, choices, emptyLabel) {
    return el("label", { class: "field" }, el("span", { text: label }),
      el("select", { name }, el("option", { value: "", text: emptyLabel }),
        choices.map((c) => el("option", { value: c.value, text: c.label }))));
  }

  function genderSelect() {
    // "Not said" is a value of its own here, and the default.
    return el("label", { class: "field" }, el("span", { text: L.gender }),
      el("select", { name: "gender" }, config.choices.gender.map((c) => el("option", { value: c.value, text: c.label }))));
  }

  function tabletRecords() {
    // What the day's data does not know yet: records not sent, or answered since it was read.
    return [...records.values()]
      .filter((r) => (r.state === "pending" || sentSinceDay.has(r.uuid)) && r.kind !== HELP)
      .sort((a, b) => Date.parse(a.recorded_at) - Date.parse(b.recorded_at));
  }

  function resetSince(record) {
    // A reset of this record's tablet made on this tablet after it.
    return Boolean(record.present && record.tablet) && [...records.values()].some((r) => r.kind === RESET
      && r.tablet === record.tablet && Date.parse(r.recorded_at) >= Date.parse(record.recorded_at));
  }

  function tabletsToReset() {
    // The fleet's word, then this tablet's records in the order they were made, as the server
    // will apply them: lending a tablet to someone makes it wait for a reset, a reset clears it.
    const toReset = new Set((day.tablets || []).filter((t) => t.needs_reset).map((t) => t.id));
    const lentTo = new Map();
    for (const stop of day.stops) {
      for (const workshop of stop.workshops) {
        for (const person of workshop.registrations) {
          if (person.attendance && person.attendance.present) lentTo.set(person.uuid, person.attendance.tablet);
        }
      }
    }
    for (const record of tabletRecords()) {
      if (record.state === "refused") continue;
      if (record.kind === RESET) {
        toReset.delete(record.tablet);
        continue;
      }
      const tablet = record.present ? record.tablet : null;
      if (tablet && tablet !== lentTo.get(record.registration)) toReset.add(tablet);
      lentTo.set(record.registration, tablet);
    }
    return toReset;
  }

  function tabletOptions() {
    const toReset = tabletsToReset();
    return [el("option", { value: "", text: L.no_tablet }), ...(day.tablets || []).map((t) => {
      const ready = !toReset.has(t.id);
      return el("option", {
        value: String(t.id), disabled: !ready, text: ready ? t.label : `${t.label} (${L.to_reset})`,
      });
    })];
  }

  function tabletSelect() {
    return el("label", { class: "field" }, el("span", { text: L.tablet }),
      el("select", { name: "tablet" }, tabletOptions()));
  }

  function refreshTabletPickers() {
    document.querySelectorAll("select[name=tablet]").forEach((picker) => {
      const options = tabletOptions();
      // Left alone when nothing changed: replaced, the options would close a list the
      // mediator has just opened.
      if (options.length === picker.options.length
        && options.every((option, index) => option.isEqualNode(picker.options[index]))) return;
      const value = picker.value;
      picker.replaceChildren(...options);
      picker.value = value;
    });
  }

  function refreshTablets() {
    if (!day) return;
    const section = document.getElementById("tablets-to-reset");
    const fresh = section && tabletsSection();
    // Drawn anew after each send and each reset that changed it, and left alone otherwise: a
    // button replaced between the finger going down and coming up receives no click, and the
    // reset the mediator tapped would be lost. The keyboard focus inside it (a reset button
    // pressed, now gone) moves to the same button, or else to the section's heading.
    if (section && !section.isEqualNode(fresh)) {
      const focused = section.contains(document.activeElement) ? document.activeElement : null;
      section.replaceWith(fresh);
      if (focused) {
        const twin = focused.dataset.tablet && fresh.querySelector(`button[data-tablet="${focused.dataset.tablet}"]`);
        (twin || fresh.querySelector("#tablets-title")).focus();
      }
    }
    refreshTabletPickers();
  }

  function resetsMadeHere() {
    const today = new Date().toDateString();
    return [...records.values()].filter((r) => r.kind === RESET && new Date(r.recorded_at).toDateString() === today)
      .sort((a, b) => Date.parse(a.recorded_at) - Date.parse(b.recorded_at));
  }

  function tabletsSection() {
    const toReset = tabletsToReset();
    const section = el("section", { id: "tablets-to-reset", class: "tablets", "aria-labelledby": "tablets-title" },
      el("h2", { id: "tablets-title", tabindex: "-1", text: L.lending_tablets }));
    if (!toReset.size) section.append(el("p", { text: L.none_to_reset }));
    const list = el("ul", { class: "tablet-list" });
    for (const tablet of (day.tablets || []).filter((t) => toReset.has(t.id))) {
      const button = el("button", { type: "button", class: "tablet-button", "data-action": "reset", "data-tablet": String(tablet.id), text: `${L.reset_done} : ${tablet.label}` });
      button.addEventListener("click", () => resetTablet(tablet));
      list.append(el("li", { "data-tablet": String(tablet.id) }, button));
    }
    section.append(list);
    const labels = new Map((day.tablets || []).map((t) => [t.id, t.label]));
    const done = resetsMadeHere();
    if (done.length) {
      section.append(el("ul", { class: "helps", "aria-label": L.resets_recorded }, done.map((reset) => {
        const time = new Date(reset.recorded_at).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
        const state = recordStateText(reset.state, reset.reason);
        return el("li", { class: "help", "data-reset": reset.uuid, "data-tablet": String(reset.tablet), "data-state": reset.state },
          el("strong", { text: `${time} · ${labels.get(reset.tablet) || reset.tablet}` }), " — ",
          el("span", { "data-role": "state", text: state }));
      })));
    }
    return section;
  }

  async function resetTablet(tablet) {
    // Kept on this tablet first, like every record, and sent after the uses made before it:
    // the tablet is ready for the next resident at once, signal or not.
    const record = {
      kind: RESET, uuid: newUuid(), tablet: tablet.id, factory_reset: false,
      recorded_at: new Date().toISOString(), state: "pending", reason: "", by: config.user,
    };
    records.set(record.uuid, record);
    await keepRecord(record);
    refreshTablets();
    refreshCards();
    updateStatus();
    if (navigator.onLine) syncNow();
  }

  const cards = new Map();

  function fullName(person) {
    return `${person.first_name} ${person.last_name || ""}`.trim();
  }

  // What a person's card, a reset or a help says of its record: "none" for a card not marked.
  function recordStateText(state, reason) {
    if (state === "sent" && reason) return format(L.sent_without_tablet, { reason: reasonText(reason) });
    if (state === "pending" && reason === UNSTORED) return L.not_stored;
    return { none: L.not_marked, pending: L.saved_on_tablet, sent: L.sent_to_server, refused: refusalText(reason) }[state];
  }

  function reasonText(reason) {
    return (L.refusals && L.refusals[reason]) || reason;
  }

  // "Refusé par le serveur : ce numéro de téléphone n’est pas valide", not the code it sent.
  function refusalText(reason) {
    const why = reasonText(reason);
    return why ? format(L.refused_because, { reason: why }) : L.refused;
  }

  // A French number (06 12 34 56 78, +33 6 12…) has ten digits from its 0; a foreign one
  // (+44…) is the server's to judge. Checked before the record is kept: a refused walk-in
  // would leave the person uncounted.
  function plausiblePhone(typed) {
    const compact = typed.replace(/[\s.\-/()]/g, "");
    if (!compact) return true;
    if (/^(\+|00)(?!33)\d{6,15}$/.test(compact)) return true;
    return /^(?:0|\+33|0033)[1-9]\d{8}$/.test(compact);
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key]));
  }

  // A moment as French says the time of day: "10 h 42".
  function frenchClock(iso) {
    const moment = new Date(iso);
    return frenchTime(`${moment.getHours()}:${String(moment.getMinutes()).padStart(2, "0")}`);
  }

  // "09:30" as French writes it, "9 h 30" ("14 h" on the hour), with non-breaking spaces.
  function frenchTime(hhmm) {
    const [hours, minutes] = String(hhmm).split(":");
    const hour = `${Number(hours)}\u00a0h`;
    return minutes && minutes !== "00" ? `${hour}\u00a0${minutes}` : hour;
  }

  // A day as French writes it: "lundi 1er mars 2027", "mardi 8 décembre" (the first of the
  // month is "1er", which the browser's own format does not say).
  function frenchDate(date, { year = false } = {}) {
    const options = { weekday: "long", day: "numeric", month: "long" };
    if (year) options.year = "numeric";
    return new Intl.DateTimeFormat("fr-FR", options).formatToParts(date)
      .map((part) => (part.type === "day" && part.value === "1" ? "1er" : part.value))
      .join("");
  }

  // Names shared by two people on today's rosters: their cards say commune and phone ending.
  let sharedNames = new Set();

  function findSharedNames() {
    const seen = new Map();
    for (const stop of day.stops) {
      for (const workshop of stop.workshops) {
        for (const person of rosterOf(workshop)) {
          const key = fullName(person).toLocaleLowerCase("fr");
          seen.set(key, (seen.get(key) || 0) + 1);
        }
      }
    }
    sharedNames = new Set([...seen].filter(([, count]) => count > 1).map(([key]) => key));
  }

  function whoIsWho(person) {
    if (!sharedNames.has(fullName(person).toLocaleLowerCase("fr"))) return null;
    const commune = person.commune || (person.walk_in && communeName(person.walk_in.commune)) || "";
    const digits = person.phone_end || (person.walk_in && (person.walk_in.phone || "").replace(/\D/g, "").slice(-2)) || "";
    const parts = [commune, digits ? format(L.phone_ending, { digits }) : ""].filter(Boolean);
    return parts.length ? el("span", { class: "person-hint", text: ` (${parts.join(", ")})` }) : null;
  }

  function communeName(code) {
    const found = day.communes.find(([candidate]) => candidate === code);
    return found ? found[1] : "";
  }

  function personCard(workshop, person) {
    const name = fullName(person);
    const badges = [];
    if (person.channel === "walk_in") badges.push(el("span", { class: "badge", text: L.walk_in }));
    if (person.status === "waiting") badges.push(el("span", { class: "badge", text: L.waiting_list }));
    if (person.status === "cancelled") badges.push(el("span", { class: "badge", text: L.cancelled_but_came }));
    const outcomes = el("fieldset", { class: "outcomes" }, el("legend", { text: L.outcomes }),
      workshop.outcomes.map((o) => el("label", { class: "check" },
        el("input", { type: "checkbox", name: "outcome", value: String(o.id) }), el("span", { text: o.label }))));
    const details = el("details", { class: "person-details" },
      el("summary", { text: L.details }),
      outcomes,
      tabletSelect(),
      el("label", { class: "field" }, el("span", { text: L.minutes }),
        el("input", { type: "number", name: "minutes_spent", min: "0", max: "600", inputmode: "numeric" })),
      select("autonomy", L.autonomy, config.choices.autonomy, L.not_said),
      select("equipment", L.equipment, config.choices.equipment, L.not_said),
      select("redirection", L.redirection, config.choices.redirection, L.not_said),
      el("label", { class: "check" }, el("input", { type: "checkbox", name: "first_visit" }), el("span", { text: L.first_visit })),
      select("age_bracket", L.age_bracket, config.choices.age_bracket, L.not_said),
      select("situation", L.situation, config.choices.situation, L.not_said),
      genderSelect(),
      el("label", { class: "field" }, el("span", { text: L.note }), el("textarea", { name: "note", rows: "3", maxlength: "1000" })));
    const card = el("li", { class: "person", "data-registration": person.uuid },
      el("div", { class: "person-head" },
        el("p", { class: "person-name" }, el("strong", { text: name }), whoIsWho(person), " ", badges),
        el("div", { class: "person-buttons", role: "group", "aria-label": name },
          el("button", { type: "button", class: "tablet-button choice", "data-action": "present", "aria-pressed": "false", text: L.present }),
          el("button", { type: "button", class: "tablet-button choice", "data-action": "absent", "aria-pressed": "false", text: L.absent })),
        el("p", { class: "person-state", "data-role": "state" })),
      person.needs ? el("p", { class: "person-note", "data-role": "note" },
        el("strong", { text: L.resident_note }), " ", el("span", { text: person.needs })) : null,
      details,
      person.channel === "walk_in" ? withdrawControl(workshop, person) : null);

    card.querySelector("[data-action=present]").addEventListener("click", () => saveRecord(workshop, person, { present: true }).then(() => applyCard(card, person)));
    card.querySelector("[data-action=absent]").addEventListener("click", () => saveRecord(workshop, person, { present: false }).then(() => applyCard(card, person)));
    details.addEventListener("change", (event) => {
      const target = event.target;
      let changes;
      if (target.name === "outcome") {
        changes = { outcomes: [...details.querySelectorAll("input[name=outcome]:checked")].map((i) => Number(i.value)) };
      } else if (target.name === "tablet") {
        changes = { tablet: target.value ? Number(target.value) : null };
      } else if (target.name === "minutes_spent") {
        const minutes = parseInt(target.value, 10);
        changes = { minutes_spent: Number.isFinite(minutes) && minutes >= 0 && minutes <= 600 ? minutes : null };
      } else if (target.name === "first_visit") {
        changes = { first_visit: target.checked };
      } else {
        changes = { [target.name]: target.value };
      }
      saveRecord(workshop, person, changes).then(() => applyCard(card, person));
    });
    cards.set(person.uuid, { card, person });
    applyCard(card, person);
    return card;
  }

  // "Retirer" on a walk-in's card, confirmed in place (no dialog box): the card then leaves.
  function withdrawControl(workshop, person) {
    const ask = el("button", { type: "button", class: "tablet-button", "data-action": "withdraw", text: L.withdraw_walk_in });
    const confirm = el("div", { class: "withdraw-confirm", role: "group", "aria-label": L.withdraw_walk_in, hidden: true },
      el("p", { text: format(L.withdraw_walk_in_confirm, { name: fullName(person) }) }),
      el("button", { type: "button", class: "tablet-button tablet-button--primary", "data-action": "withdraw-confirm", text: L.withdraw_walk_in_yes }),
      el("button", { type: "button", class: "tablet-button", "data-action": "withdraw-cancel", text: L.withdraw_walk_in_no }));
    ask.addEventListener("click", () => {
      ask.hidden = true;
      confirm.hidden = false;
      confirm.querySelector("[data-action=withdraw-confirm]").focus();
    });
    confirm.querySelector("[data-action=withdraw-cancel]").addEventListener("click", () => {
      confirm.hidden = true;
      ask.hidden = false;
      ask.focus();
    });
    confirm.querySelector("[data-action=withdraw-confirm]").addEventListener("click", () => withdrawWalkIn(workshop, person));
    return el("div", { class: "withdraw" }, ask, confirm);
  }

  function applyCard(card, person) {
    const { values, state, reason, elsewhere } = currentOf(person);
    const present = values ? values.present : null;
    card.dataset.state = state;
    card.dataset.changedElsewhere = String(Boolean(elsewhere));
    card.dataset.warning = state === "sent" && reason ? "tablet_refused" : "";
    card.dataset.present = present === null || present === undefined ? "" : String(present);
    card.querySelector("[data-action=present]").setAttribute("aria-pressed", String(present === true));
    card.querySelector("[data-action=absent]").setAttribute("aria-pressed", String(present === false));
    const stateText = elsewhere
      ? format(L.changed_elsewhere, { time: frenchClock(values.recorded_at) })
      : recordStateText(state, reason);
    card.querySelector("[data-role=state]").textContent = stateText;
    const details = card.querySelector("details");
    details.hidden = present !== true;
    if (!values) return;
    // Leave alone the field being typed in, so a re-render never eats a keystroke.
    const active = document.activeElement;
    const outcomes = new Set((values.outcomes || []).map(Number));
    details.querySelectorAll("input[name=outcome]").forEach((input) => { input.checked = outcomes.has(Number(input.value)); });
    const setValue = (name, value) => {
      const field = details.querySelector(`[name=${name}]`);
      if (field && field !== active) field.value = value === null || value === undefined ? "" : String(value);
    };
    setValue("tablet", values.tablet);
    setValue("minutes_spent", values.minutes_spent);
    ["autonomy", "equipment", "redirection", "age_bracket", "situation", "note"].forEach((name) => setValue(name, values[name]));
    setValue("gender", values.gender || FIELDS.gender);
    details.querySelector("[name=first_visit]").checked = values.first_visit === true;
  }

  function refreshCards() {
    for (const { card, person } of cards.values()) {
      applyCard(card, person);
    }
    helpLists.forEach((list, stopId) => fillHelpList(list, stopId));
    refreshRefusedElsewhere();
  }

  // --- Refusals no card shows: the person or the stop left her rosters meanwhile -----------

  // Her records refused today, not put right since, whose person has no card and whose help
  // has no stop on the screen: a stop given to another mediator while she worked offline is
  // refused ("forbidden") and then leaves the day's data, cards and all; yesterday's records
  // sent this morning have no card today. Without this list the header would count refusals
  // no card explains, and these people would go uncounted.
  function refusedElsewhere() {
    if (!day) return [];
    const stops = new Set(day.stops.map((stop) => stop.id));
    return [...records.values()].filter((r) => r.state === "refused" && isMine(r) && r.kind !== RESET
      && answeredToday(r)
      && (r.kind === HELP ? !stops.has(r.stop)
        : latestLocal(r.registration) === r && !cards.has(r.registration)))
      .sort((a, b) => Date.parse(a.recorded_at) - Date.parse(b.recorded_at));
  }

  function refusedElsewhereSection(refused) {
    return el("section", { id: "refused-elsewhere", class: "workshop refused-elsewhere", "aria-labelledby": "refused-elsewhere-title" },
      el("h2", { id: "refused-elsewhere-title", text: L.refused_elsewhere }),
      el("p", { class: "hint", text: L.refused_elsewhere_hint }),
      el("ul", { class: "helps" }, refused.map((record) => {
        const who = record.kind === HELP ? L.individual_help
          : record.name || (record.walk_in && record.walk_in.first_name) || L.someone;
        const what = record.kind === HELP ? `${record.minutes_spent} min`
          : (record.present ? L.present : L.absent);
        // Made on another day (sent this morning): that day is said, the stop does not say it.
        const made = new Date(record.recorded_at);
        const when = made.toDateString() === new Date().toDateString() ? ""
          : ` · ${frenchDate(made)}`;
        const again = el("button", { type: "button", class: "tablet-button", "data-action": "send-again", text: L.send_again });
        again.addEventListener("click", () => sendAgain(record));
        return el("li", { class: "help", "data-refused": record.uuid, "data-state": "refused" },
          el("strong", { text: who }), when, record.where ? ` · ${record.where}` : "", ` · ${what} — `,
          el("span", { "data-role": "state", class: "tablet-error", text: refusalText(record.reason) }), " ", again);
      })));
  }

  // Once the coordination has put right what the server refused (the stop given back to her,
  // the person moved back), the record is sent again as it was made: same UUID (the server
  // keeps none of a refused record) and same time, so the record made last still wins.
  async function sendAgain(record) {
    record.state = "pending";
    record.reason = "";
    delete record.answered_at;
    await keepRecord(record);
    refreshRefusedElsewhere();
    updateStatus();
    if (navigator.onLine) syncNow();
  }

  function refreshRefusedElsewhere() {
    const shown = document.getElementById("refused-elsewhere");
    const refused = refusedElsewhere();
    const fresh = refused.length ? refusedElsewhereSection(refused) : null;
    if (shown && fresh) shown.replaceWith(fresh);
    else if (shown) shown.remove();
    else if (fresh) dayRoot.insertBefore(fresh, document.getElementById("tablets-to-reset"));
  }

  // --- Individual helps: someone at the van's door, outside any workshop -------------------

  const helpLists = new Map();

  function helpForm(stop) {
    const themes = el("fieldset", { class: "outcomes themes" }, el("legend", { text: L.themes }),
      config.choices.theme.map((c) => el("label", { class: "check" },
        el("input", { type: "checkbox", name: "themes", value: c.value }), el("span", { text: c.label }))));
    const form = el("form", { class: "individual-help", "data-stop": String(stop.id), novalidate: true },
      el("fieldset", {},
        el("legend", { text: L.individual_help }),
        el("p", { class: "hint", text: L.individual_help_hint }),
        el("label", { class: "field" }, el("span", { text: L.minutes_required }),
          el("input", { type: "number", name: "minutes_spent", min: "1", max: "600", inputmode: "numeric", required: true })),
        themes,
        el("label", { class: "field" }, el("span", { text: L.procedure_name }),
          el("input", { name: "procedure_name", maxlength: "200", autocomplete: "off" })),
        select("operator", L.operator, config.choices.operator, L.not_said),
        el("label", { class: "field" }, el("span", { text: L.place_type }),
          el("select", { name: "place_type" }, config.choices.place_type.map((c) => el("option", { value: c.value, text: c.label })))),
        select("autonomy", L.autonomy, config.choices.autonomy, L.not_said),
        select("equipment", L.equipment, config.choices.equipment, L.not_said),
        select("redirection", L.redirection, config.choices.redirection, L.not_said),
        el("label", { class: "check" }, el("input", { type: "checkbox", name: "first_visit" }), el("span", { text: L.first_visit })),
        select("age_bracket", L.age_bracket, config.choices.age_bracket, L.not_said),
        select("situation", L.situation, config.choices.situation, L.not_said),
        genderSelect(),
        el("label", { class: "field" }, el("span", { text: L.commune_optional }),
          el("input", { name: "commune", list: "communes", autocomplete: "off" })),
        el("p", { class: "tablet-error", "data-role": "error", id: `help-error-${stop.id}`, hidden: true, role: "alert" }),
        el("button", { type: "submit", class: "tablet-button tablet-button--primary", text: L.record_help })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const fail = (message, field) => flagField(form, field, message);
      const minutes = parseInt(String(data.get("minutes_spent") || ""), 10);
      if (!Number.isFinite(minutes) || minutes < 1 || minutes > 600) return fail(L.minutes_invalid, "[name=minutes_spent]");
      const chosen = data.getAll("themes").map(String);
      if (!chosen.length) return fail(L.choose_theme, "[name=themes]");
      const typed = String(data.get("commune") || "").trim();
      const commune = typed ? communeCode(typed) : "";
      if (commune === null) return fail(L.unknown_commune, "[name=commune]");
      flagField(form, null);
      const record = {
        kind: HELP, uuid: newUuid(), stop: stop.id, recorded_at: new Date().toISOString(),
        minutes_spent: minutes, themes: chosen, commune, where: stopLabel(stop),
        first_visit: form.querySelector("[name=first_visit]").checked,
        state: "pending", reason: "", by: config.user,
      };
      ["procedure_name", "operator", "place_type", "autonomy", "equipment", "redirection", "age_bracket", "situation", "gender"]
        .forEach((name) => { record[name] = String(data.get(name) || "").trim(); });
      records.set(record.uuid, record);
      await keepRecord(record);
      form.reset();
      fillHelpList(helpLists.get(stop.id), stop.id);
      updateStatus();
      if (navigator.onLine) syncNow();
    });
    return form;
  }

  function fillHelpList(list, stopId) {
    const themeLabels = new Map(config.choices.theme.map((c) => [c.value, c.label]));
    const helps = [...records.values()].filter((r) => r.kind === HELP && r.stop === stopId)
      .sort((a, b) => Date.parse(a.recorded_at) - Date.parse(b.recorded_at));
    list.replaceChildren(...helps.map((help) => {
      const time = new Date(help.recorded_at).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
      const state = recordStateText(help.state, help.reason);
      return el("li", { class: "help", "data-help": help.uuid, "data-state": help.state },
        el("strong", { text: `${time} · ${help.minutes_spent} min` }), " ",
        help.themes.map((t) => themeLabels.get(t) || t).join(", "), " — ",
        el("span", { "data-role": "state", text: state }));
    }));
    list.hidden = !helps.length;
  }

  function helpsSection(stop) {
    const list = el("ul", { class: "helps", "aria-label": L.helps_recorded });
    helpLists.set(stop.id, list);
    fillHelpList(list, stop.id);
    // Named after the stop too: with two stops in the day, two regions of the same name could
    // not be told apart by a screen reader.
    return el("section", { class: "workshop individual-helps", "aria-labelledby": `helps-${stop.id} stop-${stop.id}` },
      el("h3", { id: `helps-${stop.id}`, text: L.individual_help }),
      list,
      el("details", { class: "help-details" }, el("summary", { text: L.record_help }), helpForm(stop)));
  }

  function workshopLabel(workshop) {
    return `${frenchTime(workshop.start_time)} · ${workshop.title}`;
  }

  // "Hédauville – Parking de la salle des fêtes · 9 h 30 · Créer son compte Ameli".
  function workshopPlace(workshop) {
    const stop = day.stops.find((s) => s.workshops.some((w) => w.id === workshop.id));
    return stop ? `${stopLabel(stop)} · ${workshopLabel(workshop)}` : workshopLabel(workshop);
  }

  function stopLabel(stop) {
    return `${stop.commune} – ${stop.place}`;
  }

  function communeLabel(code, name) {
    return `${name} (${code})`;
  }

  function walkInForm(stop, lists) {
    const workshops = stop.workshops;
    const chooser = workshops.length > 1
      ? el("label", { class: "field" }, el("span", { text: L.walk_in_workshop }),
        el("select", { name: "workshop" }, workshops.map((w) => el("option", { value: String(w.id), text: workshopLabel(w) }))))
      : el("input", { type: "hidden", name: "workshop", value: String(workshops.length ? workshops[0].id : "") });
    const form = el("form", { class: "walk-in", "data-stop": String(stop.id) },
      el("fieldset", {},
        el("legend", { text: L.add_walk_in }),
        chooser,
        el("label", { class: "field" }, el("span", { text: L.first_name }),
          el("input", { name: "first_name", required: true, maxlength: "100", autocomplete: "off" })),
        el("label", { class: "field" }, el("span", { text: L.commune }),
          el("input", { name: "commune", required: true, list: "communes", autocomplete: "off",
            value: communeLabel(stop.commune_code, stop.commune) })),
        el("label", { class: "field" }, el("span", { text: L.phone_optional }),
          el("input", { name: "phone", type: "tel", maxlength: "20", autocomplete: "off" })),
        el("p", { class: "tablet-error", "data-role": "error", id: `walk-in-error-${stop.id}`, hidden: true, role: "alert" }),
        el("button", { type: "submit", class: "tablet-button tablet-button--primary", text: L.add })));
    if (!workshops.length) return null;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const workshop = workshops.find((w) => String(w.id) === String(data.get("workshop")));
      const typed = String(data.get("commune") || "").trim();
      const code = communeCode(typed);
      if (!code) return flagField(form, "[name=commune]", L.unknown_commune);
      if (!plausiblePhone(String(data.get("phone") || "").trim())) {
        return flagField(form, "[name=phone]", L.phone_invalid);
      }
      flagField(form, null);
      const walkIn = { first_name: String(data.get("first_name")).trim(), commune: code, phone: String(data.get("phone") || "").trim() };
      const person = { uuid: newUuid(), first_name: walkIn.first_name, last_name: "", status: "confirmed", channel: "walk_in", attendance: null, walk_in: walkIn };
      await saveRecord(workshop, person, { present: true });
      lists.get(workshop.id).append(personCard(workshop, person));
      refreshSeats();
      const chosen = data.get("workshop");
      form.reset();
      form.querySelector("[name=workshop]").value = chosen;
      form.querySelector("[name=commune]").value = communeLabel(stop.commune_code, stop.commune);
    });
    return form;
  }

  // A form's error: announced (role=alert), tied to its field (described by it, marked
  // invalid) and the field focused; `field` null clears it.
  function flagField(form, field, message) {
    const error = form.querySelector("[data-role=error]");
    form.querySelectorAll("[aria-invalid]").forEach((input) => {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    error.hidden = !field;
    error.textContent = field ? message : "";
    if (!field) return;
    const input = form.querySelector(field);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", error.id);
    input.focus();
  }

  function communeCode(typed) {
    const match = typed.match(/\((\d[\dAB]\d{3})\)\s*$/);
    if (match && day.communes.some(([code]) => code === match[1])) return match[1];
    const lowered = typed.toLocaleLowerCase("fr");
    const found = day.communes.filter(([, name]) => name.toLocaleLowerCase("fr") === lowered);
    return found.length === 1 ? found[0][0] : null;
  }

  // --- Drawing the roster again without losing Inès's place ---------------------------------

  // What a redraw would lose: the details open, the forms half filled (a walk-in's name, a
  // help's themes), the field being typed in (a note is kept only when she leaves it).
  function detailsKey(details) {
    const card = details.closest("li.person");
    if (card) return `person:${card.dataset.registration}`;
    const form = details.querySelector("form[data-stop]");
    return form ? `form:${formKey(form)}` : null;
  }

  function formKey(form) {
    return `${form.className}:${form.dataset.stop}`;
  }

  function placeOnPage() {
    const open = new Set([...dayRoot.querySelectorAll("details[open]")].map(detailsKey).filter(Boolean));
    const forms = new Map([...dayRoot.querySelectorAll("form[data-stop]")].map((form) => [formKey(form),
      [...form.elements].map((field) => (field.type === "checkbox" ? field.checked : field.value))]));
    const active = document.activeElement;
    let focus = null;
    if (active && active !== dayRoot && dayRoot.contains(active) && active.name) {
      const card = active.closest("li.person");
      const form = active.closest("form[data-stop]");
      focus = {
        card: card ? card.dataset.registration : null,
        form: form ? formKey(form) : null,
        index: form ? [...form.elements].indexOf(active) : -1,
        name: active.name,
        value: active.value,
        typed: active.tagName === "TEXTAREA" || ["text", "number", "tel", "search"].includes(active.type),
      };
    }
    return { open, forms, focus, scroll: window.scrollY };
  }

  function backToPlace({ open, forms, focus, scroll }) {
    dayRoot.querySelectorAll("details").forEach((details) => {
      if (open.has(detailsKey(details))) details.open = true;
    });
    dayRoot.querySelectorAll("form[data-stop]").forEach((form) => {
      const values = forms.get(formKey(form));
      if (!values || values.length !== form.elements.length) return;
      [...form.elements].forEach((field, index) => {
        if (field.type === "checkbox") field.checked = values[index];
        else if (field.tagName !== "BUTTON" && field.tagName !== "FIELDSET") field.value = values[index];
      });
    });
    window.scrollTo(0, scroll);
    if (!focus) return;
    let field = null;
    if (focus.form) {
      const form = [...dayRoot.querySelectorAll("form[data-stop]")].find((f) => formKey(f) === focus.form);
      field = form ? form.elements[focus.index] : null;
    } else if (focus.card) {
      const card = dayRoot.querySelector(`li.person[data-registration="${focus.card}"]`);
      const which = focus.typed ? `[name="${focus.name}"]` : `[name="${focus.name}"][value="${focus.value}"]`;
      field = card ? card.querySelector(which) || card.querySelector(`[name="${focus.name}"]`) : null;
    }
    if (!field) return;
    if (focus.typed) field.value = focus.value;
    field.focus({ preventScroll: true });
  }

  function renderDay() {
    const place = dayRoot.dataset.state === "ready" ? placeOnPage() : null;
    drawDay();
    if (place) backToPlace(place);
  }

  function drawDay() {
    cards.clear();
    helpLists.clear();
    dayRoot.replaceChildren();
    if (!day) {
      dayRoot.dataset.state = "unavailable";
      dayRoot.append(el("p", { class: "tablet-error", text: L.offline }));
      return;
    }
    dayRoot.dataset.state = "ready";
    const title = frenchDate(new Date(`${day.date}T12:00:00`), { year: true });
    document.getElementById("day-title").textContent = title;
    const communes = el("datalist", { id: "communes" }, day.communes.map(([code, name]) => el("option", { value: communeLabel(code, name) })));
    dayRoot.append(communes);
    if (!day.stops.length) {
      dayRoot.append(el("p", { text: L.no_stop }));
      refreshRefusedElsewhere();
      return;
    }
    findSharedNames();
    const nav = dayNav();
    if (nav) dayRoot.append(nav);
    for (const stop of day.stops) {
      const lists = new Map();
      const section = el("section", { class: "stop", "data-stop": String(stop.id), "aria-labelledby": `stop-${stop.id}` },
        el("h2", { id: `stop-${stop.id}`, text: `${stop.commune} – ${stop.place} (${frenchTime(stop.start_time)} – ${frenchTime(stop.end_time)})` }));
      for (const workshop of stop.workshops) {
        const people = rosterOf(workshop);
        const list = el("ul", { class: "roster" });
        people.forEach((person) => list.append(personCard(workshop, person)));
        lists.set(workshop.id, list);
        section.append(el("section", { class: "workshop", "data-workshop": String(workshop.id), "aria-labelledby": `workshop-${workshop.id}` },
          el("h3", { id: `workshop-${workshop.id}`, text: workshopLabel(workshop) }),
          el("p", { class: "seats", "data-role": "seats", "data-workshop": String(workshop.id) }),
          people.length ? null : el("p", { text: L.no_registration }),
          list));
      }
      section.append(walkInForm(stop, lists));
      section.append(helpsSection(stop));
      dayRoot.append(section);
    }
    dayRoot.append(tabletsSection());
    refreshRefusedElsewhere();
    refreshSeats();
  }

  // A day of two stops, or of several workshops, is a long page on a tablet: links at the top
  // lead to each stop, each workshop and the lending tablets. The header stays on screen, so
  // the jump lands below it, and the heading takes the focus (a screen reader reads on there).
  function dayNav() {
    const workshops = day.stops.reduce((count, stop) => count + stop.workshops.length, 0);
    if (day.stops.length < 2 && workshops < 2) return null;
    const link = (id, text, className) => el("a", { href: `#${id}`, class: className, text });
    // One line per stop: the stop (when there are several), then its workshops.
    const lines = day.stops.map((stop) => el("li", { class: "day-nav-stop" },
      day.stops.length > 1 ? link(`stop-${stop.id}`, `${stop.commune} · ${frenchTime(stop.start_time)}`, "day-nav-main") : null,
      el("ul", {}, stop.workshops.map((workshop) => el("li", {}, link(`workshop-${workshop.id}`, workshopLabel(workshop)))))));
    lines.push(el("li", {}, link("tablets-title", L.lending_tablets, "day-nav-main")));
    const nav = el("nav", { class: "day-nav", "aria-label": L.jump_to }, el("ul", {}, lines));
    nav.addEventListener("click", (event) => {
      const clicked = event.target.closest("a");
      const target = clicked && document.getElementById(clicked.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      window.scrollTo({ top: target.getBoundingClientRect().top + window.scrollY - headerCovers() - 8 });
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    });
    return nav;
  }

  // Seats taken: confirmed sign-ups plus the walk-ins recorded here, against the capacity.
  function refreshSeats() {
    for (const stop of day.stops) {
      for (const workshop of stop.workshops) {
        const line = dayRoot.querySelector(`[data-role=seats][data-workshop="${workshop.id}"]`);
        if (!line) continue;
        const people = rosterOf(workshop);
        const signedUp = people.filter((p) => p.status === "confirmed" && p.channel !== "walk_in").length;
        const walkIns = people.filter((p) => p.channel === "walk_in").length;
        // Whoever cancelled and came all the same sits in the van like a walk-in.
        const cameAnyway = people.filter((p) => p.status === "cancelled" && p.channel !== "walk_in").length;
        const taken = signedUp + walkIns + cameAnyway;
        line.dataset.taken = String(taken);
        line.textContent = format(L.seats_taken, { taken, capacity: workshop.capacity }) +
          (taken > workshop.capacity ? ` – ${L.over_capacity}` : "");
      }
    }
  }

  // The server's clock, from its answers' Date header (not the service worker's copies): the
  // records are dated by the tablet's clock, and a wrong one gets a whole day refused.
  function noteServerTime(response) {
    if (response.headers.get("X-Tablette-Cache")) return;
    const server = Date.parse(response.headers.get("Date") || "");
    if (Number.isNaN(server)) return;
    const gap = Math.abs(Date.now() - server);
    const warning = document.getElementById("clock-warning");
    if (!warning) return;
    const minutes = Math.round(gap / 60000);
    const hours = Math.floor(minutes / 60);
    const wording = hours ? `${hours}\u00a0h\u00a0${String(minutes % 60).padStart(2, "0")}` : `${minutes}\u00a0min`;
    const text = gap > CLOCK_GAP_MS ? format(L.clock_off, { gap: wording }) : "";
    if (warning.textContent !== text) warning.textContent = text;
    warning.hidden = !text;
  }

  // The status line is a live region: text rewritten as it was is read out again, every try.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function updateStatus() {
    const network = document.getElementById("network-state");
    network.dataset.online = String(navigator.onLine);
    network.dataset.reachable = String(!serverUnreachable);
    // Once the storage refused a write, "everything is kept on this tablet" is no longer true.
    const storageWarning = document.getElementById("storage-warning");
    const unstored = Boolean(storageWarning && !storageWarning.hidden);
    let state = L.online;
    if (!navigator.onLine) state = unstored ? L.offline_unstored : L.offline;
    else if (serverError) {
      state = format(unstored ? L.server_error_unstored : L.server_error, { status: serverError });
    } else if (serverUnreachable) {
      state = unstored ? L.server_unreachable_unstored : L.server_unreachable;
    }
    setText(network, state);
    const pending = pendingRecords().length;
    const count = document.getElementById("pending-count");
    count.dataset.count = String(pending);
    setText(count, needsLogin ? L.reconnect : `${L.pending} ${pending}`);
    // The way to do what the header asks: the records stay here and leave once signed in.
    // Absent from a page cached by an older version (a weak signal just after an update).
    const signInAgain = document.getElementById("sign-in-again");
    if (signInAgain) signInAgain.hidden = !needsLogin;
    showCount("refused-count", refusedToday(), L.refused_count);
    showCount("others-pending", othersPending(), L.others_pending);
  }

  function showCount(id, count, template) {
    const line = document.getElementById(id);
    if (!line) return;
    line.dataset.count = String(count);
    setText(line, format(template, { count }));
    line.hidden = count === 0;
  }

  // --- Signing out ---------------------------------------------------------------------------

  // The tablets are shared: once a mediator signs out, the day's roster (names, needs) and the
  // records already on the server must not stay on it for whoever signs in next. What is still
  // pending is sent first; what could not leave stays (the only copy of that work).
  async function sendWhatIsPending() {
    if (navigator.onLine) {
      try { await syncNow(); } catch (error) { /* what did not leave stays pending */ }
    }
  }

  async function forgetTabletData() {
    // Read from the tablet, not from this page's memory: another tab of the app may have
    // written records this page never loaded.
    const kept = await withStore("readonly", (store) => store.getAll());
    const leaving = kept.filter((r) => r.state !== "pending");
    if (leaving.length) await deleteFromTablet(leaving);
    if ("caches" in window) {
      const keys = await caches.keys();
      await Promise.all(keys.filter((key) => key.startsWith("tablette-")).map((key) => caches.delete(key)));
    }
  }

  // Records still pending after trying to send them would be sent later by whoever signs in
  // next, and refused if that person does not run the stop: the mediator chooses, knowingly.
  function staysSignedIn() {
    const pending = pendingRecords().length;
    if (!pending) return false;
    updateStatus();
    return !window.confirm(format(L.pending_at_sign_out, { count: pending }));
  }

  // Signed out on the server first: with no signal a plain form post fails on the browser's
  // error page while the session stays open, and whoever takes the tablet next works under
  // this mediator's name. Only once the server has signed her out is the tablet cleared.
  async function signOutOnServer(form) {
    const data = new FormData(form);
    data.set("csrfmiddlewaretoken", csrfToken());
    try {
      const response = await fetchWithin(form.action, {
        method: "POST", body: data, credentials: "same-origin",
      });
      // Led to the sign-in page: not a Wi-Fi portal's page or an error.
      return response.ok && new URL(response.url).pathname === config.loginUrl;
    } catch (error) {
      return false;
    }
  }

  // The app's other tabs, told of a sign-out: left open, they would go on showing the
  // residents' names and needs to whoever takes the tablet next.
  const tabs = "BroadcastChannel" in window ? new BroadcastChannel("mediation-tablette") : null;
  if (tabs) {
    tabs.addEventListener("message", (event) => {
      if (event.data === "signed-out") window.location.replace(config.loginUrl);
    });
  }

  function watchSignOut() {
    const failure = document.getElementById("sign-out-error");
    document.querySelectorAll("form[data-role=sign-out]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (failure) failure.hidden = true;
        sendWhatIsPending().finally(async () => {
          if (staysSignedIn()) return;
          if (!(await signOutOnServer(form))) {
            if (failure) {
              failure.textContent = L.sign_out_failed;
              failure.hidden = false;
            } else {
              window.alert(L.sign_out_failed);
            }
            return;
          }
          if (tabs) tabs.postMessage("signed-out");
          await forgetTabletData().catch(() => null);
          window.location.replace(config.loginUrl);
        });
      });
    });
  }

  // --- Start ---------------------------------------------------------------------------------

  async function markOfflineReady() {
    if (!("serviceWorker" in navigator) || !("caches" in window)) return;
    await navigator.serviceWorker.ready;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const page = await caches.match(config.scope, { ignoreVary: true });
      const data = await caches.match(config.dayUrl, { ignoreVary: true });
      if (page && data && navigator.serviceWorker.controller) {
        document.documentElement.dataset.offlineReady = "true";
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  // The header stays on screen while the roster scrolls, unless it takes more than a third of
  // the screen (a phone, a warning or two shown): it would then leave the roster a sliver and
  // hide the card being worked on, so it scrolls away with the page until it shrinks again.
  function pinHeaderWhileItFits() {
    const header = document.querySelector(".tablet-header");
    if (!header) return;
    const fit = () => header.classList.toggle("tablet-header--unpinned", header.offsetHeight > window.innerHeight / 3);
    fit();
    window.addEventListener("resize", fit);
    if ("ResizeObserver" in window) new ResizeObserver(fit).observe(header);
  }

  function headerCovers() {
    const header = document.querySelector(".tablet-header");
    if (!header || getComputedStyle(header).position !== "sticky") return 0;
    return header.getBoundingClientRect().height;
  }

  async function start() {
    watchSignOut();
    pinHeaderWhileItFits();
    // Ask the browser not to evict the records kept here when the tablet runs short of space.
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then((granted) => {
        document.documentElement.dataset.storagePersisted = String(granted);
      }).catch(() => null);
    }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(config.swUrl, { scope: config.scope }).catch(() => null);
      markOfflineReady();
    }
    try {
      await loadRecords();
    } catch (error) {
      records = new Map();
    }
    try {
      const response = await fetch(config.dayUrl, { credentials: "same-origin" });
      if (response.status === 401) { window.location.href = config.loginUrl; return; }
      noteServerTime(response);
      day = response.ok ? await response.json() : null;
      dayIsCopy = !response.ok || Boolean(response.headers.get("X-Tablette-Cache"));
      if (!dayIsStale()) await forgetPastRecords().catch(() => null);
    } catch (error) {
      day = null;
    }
    renderDay();
    updateStatus();
    window.addEventListener("online", () => { updateStatus(); syncNow(); });
    window.addEventListener("offline", updateStatus);
    document.getElementById("send-now").addEventListener("click", syncNow);
    setInterval(syncNow, SYNC_EVERY_MS);
    syncNow();
  }

  start();
})();
