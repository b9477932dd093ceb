// Reads an .ics on stdin the way Thunderbird and Nextcloud Calendar do (Mozilla's ical.js, with the file's
// VTIMEZONEs registered) and prints its events as JSON: uid, summary, start and end as UTC instants (ISO),
// sequence, and the zone ical.js resolved each time in (so that a time read as floating cannot pass).
import { readFileSync } from "node:fs";

import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

function utc(time) {
  if (time === null) {
    return { at: null, zone: null };
  }
  return { at: new Date(time.toUnixTime() * 1000).toISOString(), zone: time.zone ? time.zone.tzid : null };
}

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  // No event of ours recurs; without the list ical.js searches every event for exceptions (n² time).
  const event = new ICAL.Event(component, { exceptions: [] });
  const start = utc(event.startDate);
  const end = utc(component.hasProperty("dtend") ? event.endDate : null);
  return {
    uid: event.uid,
    summary: event.summary,
    start: start.at,
    start_zone: start.zone,
    end: end.at,
    end_zone: end.zone,
    sequence: event.sequence,
  };
});
process.stdout.write(JSON.stringify(events));
