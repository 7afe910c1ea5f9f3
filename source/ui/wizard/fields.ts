/**
 * The wizard's four steps as data: which fields each shows for the current form, and which of
 * them are wrong. The Wizard component renders and edits fields generically from this.
 */
import type {DataType} from '../../cloud/types.ts';
import type {FormatName, TimeFormat} from '../../config/schema.ts';
import {timeFormatLabels} from './example-header.ts';
import {badAppId, severityOptions, type FilterForm} from './filters.ts';
import type {WizardForm} from './form.ts';
import {checkPemFile} from './file-check.ts';
import {maskProxyPassword} from '../text-edit.ts';
import {validateLeefDelimiter} from './leef-delimiter.ts';
import {syslogErrors, syslogFields} from './syslog-fields.ts';
import {validateAuthority, validateClientId, validateClientSecret, validateName, validateProxy, validateTenantId, validateToken, validateUrl} from './validate.ts';

export type StepId = 'general' | 'syslog' | 'data-types' | 'connection';

export const steps: ReadonlyArray<{id: StepId; title: string}> = [
	{id: 'general', title: 'General'},
	{id: 'syslog', title: 'Remote syslog'},
	{id: 'data-types', title: 'Data types'},
	{id: 'connection', title: 'Connection'},
];

export interface Option {
	value: string;
	label: string;
}

interface Common {
	id: string;
	label: string;
	/** Nesting under a heading or a data type. */
	indent?: boolean;
	/** The data type a field belongs to (for preview). */
	dataType?: DataType;
}

export type FieldSpec =
	| (Common & {kind: 'heading'})
	| (Common & {kind: 'text' | 'secret'; placeholder?: string; get(form: WizardForm): string; set(form: WizardForm, value: string): WizardForm; /** How the value is shown, when not as typed (a text field holding a secret part). */ display?(value: string): string})
	| (Common & {kind: 'select'; options: readonly Option[]; get(form: WizardForm): string; set(form: WizardForm, value: string): WizardForm})
	| (Common & {kind: 'toggle'; get(form: WizardForm): boolean; set(form: WizardForm, value: boolean): WizardForm})
	| (Common & {kind: 'checklist'; options: readonly Option[]; get(form: WizardForm): string[]; set(form: WizardForm, value: string[]): WizardForm});

export type InputField = Exclude<FieldSpec, {kind: 'heading'}>;

export const formatOptions: ReadonlyArray<{value: FormatName; label: string}> = [
	{value: 'cef', label: 'CEF (Generic / ArcSight)'},
	{value: 'leef', label: 'LEEF 2.0 (IBM QRadar)'},
	{value: 'json', label: 'JSON (RFC 5424: Splunk, Elastic, Sentinel)'},
];
/** The legacy API token, or an Entra ID app (SPEC §2; docs/entra-id.md). */
const signInOptions: readonly Option[] = [
	{value: 'token', label: 'API token'},
	{value: 'entra', label: 'Entra ID app'},
];
const credentialOptions: readonly Option[] = [
	{value: 'secret', label: 'client secret'},
	{value: 'certificate', label: 'certificate'},
];
const timeFormatOptions = (Object.keys(timeFormatLabels) as TimeFormat[]).map(value => ({value, label: timeFormatLabels[value]}));

function filterText(dataType: DataType, key: Exclude<keyof FilterForm, 'severities'>, label: string, placeholder: string): FieldSpec {
	return {
		id: `${dataType}.${key}`,
		kind: 'text',
		label,
		indent: true,
		dataType,
		placeholder,
		get: form => form.filters[dataType][key],
		set: (form, value) => ({...form, filters: {...form.filters, [dataType]: {...form.filters[dataType], [key]: value}}}),
	};
}

function enabledToggle(dataType: DataType, label: string): FieldSpec {
	const key = dataType === 'alerts' ? 'alertsEnabled' : 'activitiesEnabled';
	return {id: key, kind: 'toggle', label, dataType, get: form => form[key], set: (form, value) => ({...form, [key]: value})};
}

/** Step 1: name, format, and the advanced settings the chosen format honours. */
function generalFields(form: WizardForm): FieldSpec[] {
	const fields: FieldSpec[] = [
		{id: 'name', kind: 'text', label: 'Agent name', placeholder: 'e.g. contoso-siem', get: f => f.name, set: (f, name) => ({...f, name})},
		{id: 'format', kind: 'select', label: 'SIEM format', options: formatOptions, get: f => f.format, set: (f, value) => ({...f, format: value as FormatName})},
		{id: 'advanced', kind: 'heading', label: 'Advanced settings'},
	];
	// RFC 5424 (JSON) fixes the PRI and the time format; only the host name is a choice.
	if (form.format !== 'json') {
		fields.push(
			{id: 'timeFormat', kind: 'select', label: 'Time format', indent: true, options: timeFormatOptions, get: f => f.timeFormat, set: (f, value) => ({...f, timeFormat: value as TimeFormat})},
			{id: 'includePri', kind: 'toggle', label: 'Include PRI', indent: true, get: f => f.includePri, set: (f, includePri) => ({...f, includePri})},
		);
	}

	fields.push({id: 'includeSystemName', kind: 'toggle', label: 'Include system name', indent: true, get: f => f.includeSystemName, set: (f, includeSystemName) => ({...f, includeSystemName})});
	if (form.format === 'leef') {
		fields.push({id: 'leefDelimiter', kind: 'text', label: 'Attribute delimiter', indent: true, placeholder: 'tab (default); or one character, e.g. ^', get: f => f.leefDelimiter, set: (f, leefDelimiter) => ({...f, leefDelimiter})});
	}

	return fields;
}

/** The fields of `step` for the current form (protocol settings only for their protocol, filters only for enabled data types). */
export function fieldsFor(step: StepId, form: WizardForm): FieldSpec[] {
	switch (step) {
		case 'general': {
			return generalFields(form);
		}

		case 'syslog': {
			return syslogFields(form);
		}

		case 'data-types': {
			const fields: FieldSpec[] = [enabledToggle('alerts', 'Alerts')];
			if (form.alertsEnabled) {
				fields.push(
					filterText('alerts', 'apps', 'Apps (ids)', 'all apps, or ids: 11161, 20595'),
					{
						id: 'alerts.severities',
						kind: 'checklist',
						label: 'Severity',
						indent: true,
						dataType: 'alerts',
						options: severityOptions,
						get: f => f.filters.alerts.severities,
						set: (f, severities) => ({...f, filters: {...f.filters, alerts: {...f.filters.alerts, severities}}}),
					},
				);
			}

			fields.push(enabledToggle('activities', 'Activities'));
			if (form.activitiesEnabled) {
				fields.push(
					filterText('activities', 'apps', 'Apps (ids)', 'all apps, or ids: 11161, 20595'),
					filterText('activities', 'users', 'Users', 'all users, or: alice@contoso.com, ...'),
					filterText('activities', 'categories', 'Categories', 'all, or: EVENT_CATEGORY_LOGIN, ...'),
				);
			}

			return fields;
		}

		case 'connection': {
			const signIn: FieldSpec[] = form.signIn === 'entra'
				? [
					{id: 'tenantId', kind: 'text', label: 'Tenant ID', indent: true, placeholder: 'directory (tenant) ID or contoso.onmicrosoft.com', get: f => f.tenantId, set: (f, tenantId) => ({...f, tenantId})},
					{id: 'clientId', kind: 'text', label: 'Client ID', indent: true, placeholder: 'application (client) ID', get: f => f.clientId, set: (f, clientId) => ({...f, clientId})},
					{id: 'entraCredential', kind: 'select', label: 'Credential', indent: true, options: credentialOptions, get: f => f.entraCredential, set: (f, value) => ({...f, entraCredential: value === 'certificate' ? 'certificate' : 'secret'})},
					...(form.entraCredential === 'certificate'
						? [
							{id: 'certificateFile', kind: 'text', label: 'Certificate file', indent: true, placeholder: 'PEM, RSA; may hold the key too', get: (f: WizardForm) => f.certificateFile, set: (f: WizardForm, certificateFile: string) => ({...f, certificateFile})},
							{id: 'privateKeyFile', kind: 'text', label: 'Private key file', indent: true, placeholder: 'empty: in the certificate file', get: (f: WizardForm) => f.privateKeyFile, set: (f: WizardForm, privateKeyFile: string) => ({...f, privateKeyFile})},
						] satisfies FieldSpec[]
						: [{id: 'clientSecret', kind: 'secret', label: 'Client secret', indent: true, placeholder: 'paste the secret\'s Value', get: (f: WizardForm) => f.clientSecret, set: (f: WizardForm, clientSecret: string) => ({...f, clientSecret})}] satisfies FieldSpec[]),
					{id: 'authority', kind: 'text', label: 'Authority', indent: true, placeholder: 'https://login.microsoftonline.com (default)', get: f => f.authority, set: (f, authority) => ({...f, authority})},
				]
				: [{id: 'token', kind: 'secret', label: 'API token', indent: true, placeholder: 'paste the token', get: f => f.token, set: (f, token) => ({...f, token})}];
			return [
				{id: 'url', kind: 'text', label: 'Portal URL', placeholder: 'https://contoso.portal.cloudappsecurity.com', get: f => f.url, set: (f, url) => ({...f, url})},
				{id: 'signIn', kind: 'select', label: 'Sign in with', options: signInOptions, get: f => f.signIn, set: (f, value) => ({...f, signIn: value === 'entra' ? 'entra' : 'token'})},
				...signIn,
				{id: 'proxy', kind: 'text', label: 'Proxy (optional)', placeholder: 'ADDRESS[:PORT], empty for none', get: f => f.proxy, set: (f, proxy) => ({...f, proxy}), display: maskProxyPassword},
			];
		}
	}
}

/** Field id → message for what is wrong in `step`; `step` holds a message about the step as a whole. */
export function errorsFor(step: StepId, form: WizardForm, takenNames: readonly string[]): Record<string, string> {
	const errors: Record<string, string | undefined> = {};
	switch (step) {
		case 'general': {
			errors['name'] = validateName(form.name, takenNames);
			if (form.format === 'leef') {
				errors['leefDelimiter'] = validateLeefDelimiter(form.leefDelimiter);
			}

			break;
		}

		case 'syslog': {
			Object.assign(errors, syslogErrors(form));
			break;
		}

		case 'data-types': {
			if (!form.alertsEnabled && !form.activitiesEnabled) {
				errors['step'] = 'Turn on Alerts or Activities (or both): with neither, the agent has nothing to send.';
			}

			for (const dataType of ['alerts', 'activities'] as const) {
				const bad = badAppId(form.filters[dataType].apps);
				if (bad !== undefined) {
					errors[`${dataType}.apps`] = `App ids are numbers, e.g. 11161 for Office 365; "${bad}" is not.`;
				}
			}

			break;
		}

		case 'connection': {
			errors['url'] = validateUrl(form.url);
			if (form.signIn === 'entra') {
				errors['tenantId'] = validateTenantId(form.tenantId);
				errors['clientId'] = validateClientId(form.clientId);
				if (form.entraCredential === 'certificate') {
					errors['certificateFile'] = form.certificateFile.trim() === '' ? 'Enter the PEM file of the certificate uploaded to the app (Certificates & secrets).' : checkPemFile(form.certificateFile, 'certificate');
					errors['privateKeyFile'] = checkPemFile(form.privateKeyFile, 'private key');
				} else {
					errors['clientSecret'] = validateClientSecret(form.clientSecret);
				}

				errors['authority'] = validateAuthority(form.authority);
			} else {
				errors['token'] = validateToken(form.token);
			}

			errors['proxy'] = validateProxy(form.proxy);
			break;
		}
	}

	return Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Errors worth showing before the operator presses Enter: those of fields that already hold something. */
export function liveErrors(step: StepId, form: WizardForm, takenNames: readonly string[], attempted: boolean): Record<string, string> {
	const errors = errorsFor(step, form, takenNames);
	if (attempted) {
		return errors;
	}

	const fields = fieldsFor(step, form);
	return Object.fromEntries(Object.entries(errors).filter(([id]) => {
		const field = fields.find(candidate => candidate.id === id);
		return field !== undefined && (field.kind === 'text' || field.kind === 'secret') && field.get(form).trim() !== '';
	}));
}
