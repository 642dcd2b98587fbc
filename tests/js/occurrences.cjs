#!/usr/bin/env node
// Read an .ics with Mozilla ical.js (Thunderbird's parser) and print its occurrences as JSON.
// usage: node occurrences.cjs FILE [UNTIL_YYYY-MM-DD] [MAX_PER_EVENT]
// Each VTIMEZONE of the file is registered, so a wrong definition shows up as wrong instants;
// a TZID without a VTIMEZONE is reported as "floating" instead of being guessed.
'use strict';
const fs = require('fs');
const ICAL = require('ical.js');

const [file, untilArg = '2100-01-01', maxArg = '1000'] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const root = new ICAL.Component(ICAL.parse(text));
const zones = [];
for (const vtz of root.getAllSubcomponents('vtimezone')) {
  const tz = new ICAL.Timezone(vtz);
  ICAL.TimezoneService.register(tz.tzid, tz);
  zones.push(tz.tzid);
}
const until = ICAL.Time.fromDateTimeString(untilArg + 'T00:00:00');
const max = Number(maxArg);

function show(t) {
  if (!t) return null;
  if (t.isDate) return t.toString();  // YYYY-MM-DD
  if (t.zone && t.zone.tzid === 'floating') return 'floating ' + t.toString();
  return t.toJSDate().toISOString().replace('.000Z', 'Z');
}

const byUid = new Map();
for (const ve of root.getAllSubcomponents('vevent')) {
  const uid = ve.getFirstPropertyValue('uid');
  if (!byUid.has(uid)) byUid.set(uid, []);
  byUid.get(uid).push(ve);
}
const out = [];
for (const [uid, comps] of byUid) {
  const master = comps.find(c => !c.hasProperty('recurrence-id')) || comps[0];
  const exceptions = comps.filter(c => c !== master);
  const ev = new ICAL.Event(master, { exceptions, strictExceptions: true });
  const push = (start, end, item) => out.push({
    uid,
    start: show(start),
    end: show(end),
    summary: item.summary,
    status: item.component.getFirstPropertyValue('status'),
    sequence: item.sequence,
  });
  if (ev.isRecurring()) {
    const it = ev.iterator();
    let n = 0, next;
    while ((next = it.next()) && n < max && next.compare(until) < 0) {
      const d = ev.getOccurrenceDetails(next);
      push(d.startDate, d.endDate, d.item);
      n++;
    }
  } else {
    push(ev.startDate, ev.endDate, ev);
  }
}
process.stdout.write(JSON.stringify({ zones, occurrences: out }));
