/**
 * The example the wizard shows next to the format's advanced settings, so the operator sees
 * what each choice does before saving. It is cut from a sample event formatted by the real
 * formatters, so it cannot drift from what the agent sends. Pure: the system name is passed in.
 */
import type {CefSettings, FormatName, TimeFormat} from '../../config/schema.ts';
import {createCefFormatter} from '../../formats/cef.ts';
import {createEmptyEvent, type NormalizedEvent} from '../../formats/event.ts';
import {createJsonFormatter} from '../../formats/json.ts';
import {createLeefFormatter} from '../../formats/leef.ts';
import {version} from '../../version.ts';
import {delimiterText, validateLeefDelimiter} from './leef-delimiter.ts';

/** The time every example uses (the one in Microsoft's documentation). */
export const exampleTime = Date.UTC(2017, 0, 2, 16, 38, 38, 383);

/** What the example depends on: the format and its settings, as in the form. */
export interface ExampleSettings extends CefSettings {
	format: FormatName;
	/** LEEF attribute delimiter as typed; '' (or one the formatter refuses) is tab. @default '' */
	leefDelimiter?: string;
}

/** The sample: an alert of unknown severity (PRI 132 with facility local0) at `exampleTime`. */
function sampleEvent(): NormalizedEvent {
	return {...createEmptyEvent('alert'), time: exampleTime, name: 'myPolicy', externalId: '596a7e360c204203a335a3fb'};
}

/** The whole message the agent would send for the sample event. */
export function exampleMessage(settings: ExampleSettings, systemName = 'myhost'): string {
	const header = {timeFormat: settings.timeFormat, includePri: settings.includePri, includeSystemName: settings.includeSystemName, systemName};
	const event = sampleEvent();
	switch (settings.format) {
		case 'leef': {
			const typed = settings.leefDelimiter ?? '';
			const delimiter = typed === '' || validateLeefDelimiter(typed) ? undefined : typed;
			return createLeefFormatter({...header, agentVersion: version, delimiter})(event);
		}

		case 'json': {
			return createJsonFormatter({includeSystemName: settings.includeSystemName, systemName})(event, {_id: event.externalId, timestamp: exampleTime, title: event.name});
		}

		default: {
			return createCefFormatter({...header, agentVersion: version})(event);
		}
	}
}

/**
 * The header part of the example message, the rest elided with `…`:
 * `<132>Jan 02 16:38:38 myhost CEF:0|MCAS|SIEM_Agent|0.1.0|…`,
 * `… LEEF:2.0|Microsoft|Defender for Cloud Apps|0.1.0|…|^|…` (the event id elided, the
 * delimiter field shown), `<132>1 2017-01-02T16:38:38.383Z myhost siem-agent - alert - {"type":"alert",…}`.
 */
export function exampleHeader(settings: ExampleSettings, systemName = 'myhost'): string {
	const message = exampleMessage(settings, systemName);
	if (settings.format === 'json') {
		const body = message.indexOf(' {') + 1;
		return `${message.slice(0, message.indexOf(',', body))},…}`;
	}

	// The sample's header fields hold no escaped `|`, so a plain split finds them.
	const marker = message.indexOf(settings.format === 'leef' ? 'LEEF:' : 'CEF:');
	const fields = message.slice(marker).split('|');
	const product = `${message.slice(0, marker)}${fields.slice(0, 4).join('|')}|…`;
	return settings.format === 'leef' ? `${product}|${fields[5]}|…` : product;
}

/** A line under the example where the format has something to add. */
export function exampleNote(settings: ExampleSettings): string | undefined {
	if (settings.format === 'json') {
		return 'RFC 5424 always writes the PRI and the time in RFC 3339 (UTC).';
	}

	if (settings.format === 'leef' && (settings.leefDelimiter === undefined || delimiterText(settings.leefDelimiter) === '')) {
		return 'Behind an rsyslog relay use ^: rsyslog turns a received tab into #011 by default.';
	}

	return undefined;
}

export const timeFormatLabels: Record<TimeFormat, string> = {
	rfc5424: 'RFC 5424',
	rfc3164: 'RFC 3164',
	'rfc3164-year': 'RFC 3164 with year',
};
