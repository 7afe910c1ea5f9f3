/**
 * The "Apply to" filter editor's model: a few list fields per data type, turned into the API's
 * own filter object (`{field: {eq: [...]}}`, SPEC §2) and read back from it. Filters the editor
 * does not know are kept untouched, so editing an agent never drops a hand-written filter.
 */
import type {ApiFilters, DataType} from '../../cloud/types.ts';

/** What the operator types: comma-separated lists, plus the checked alert severities. */
export interface FilterForm {
	/** App (service) ids, e.g. `11161, 20595`. */
	apps: string;
	/** User names (activities only). */
	users: string;
	/** Activity categories (`activity.eventActionType`), activities only. */
	categories: string;
	/** Alert severities `0`, `1`, `2` (low, medium, high); none checked means all. */
	severities: string[];
}

/** API field behind each editor field, per data type (SPEC §2). */
export const filterFields = {
	alerts: {apps: 'entity.service', severities: 'severity'},
	activities: {apps: 'service', users: 'user.username', categories: 'activity.eventActionType'},
} as const satisfies Record<DataType, Partial<Record<keyof FilterForm, string>>>;

export const severityOptions = [
	{value: '0', label: 'Low'},
	{value: '1', label: 'Medium'},
	{value: '2', label: 'High'},
] as const;

export const emptyFilterForm: FilterForm = {apps: '', users: '', categories: '', severities: []};

/** Splits a comma (or space) separated list, dropping empty items and duplicates. */
export function parseList(text: string): string[] {
	return [...new Set(text.split(/[,\s]+/).map(item => item.trim()).filter(Boolean))];
}

/** The first item of the apps list that is not an app id, if any. */
export function badAppId(text: string): string | undefined {
	return parseList(text).find(item => !/^\d{1,10}$/.test(item));
}

function field(dataType: DataType, key: keyof FilterForm): string | undefined {
	return (filterFields[dataType] as Partial<Record<keyof FilterForm, string>>)[key];
}

/** The list values of `key`, typed as the API expects them (app ids and severities are numbers). */
function values(key: keyof FilterForm, form: FilterForm): unknown[] {
	switch (key) {
		case 'apps': {
			// Not an id: kept as typed, so the summary shows what is wrong (the step refuses it).
			return parseList(form.apps).map(item => (/^\d{1,10}$/.test(item) ? Number(item) : item));
		}

		case 'severities': {
			const checked = severityOptions.map(option => option.value).filter(value => form.severities.includes(value));
			// All three checked filters nothing out; leave the filter off so informational alerts are not dropped.
			return checked.length === severityOptions.length ? [] : checked.map(Number);
		}

		default: {
			return parseList(form[key]);
		}
	}
}

/** The API filter object for `dataType`: the editor's fields ANDed with the kept `extra` filters. */
export function buildFilters(dataType: DataType, form: FilterForm, extra: ApiFilters = {}): ApiFilters {
	const filters: ApiFilters = {...extra};
	for (const key of Object.keys(filterFields[dataType]) as Array<keyof FilterForm>) {
		const apiField = field(dataType, key)!;
		const list = values(key, form);
		if (list.length > 0) {
			filters[apiField] = {eq: list};
		}
	}

	return filters;
}

/** Reads an agent's filter back into the editor; what the editor cannot show stays in `extra`. */
export function readFilters(dataType: DataType, filters: ApiFilters | undefined): {form: FilterForm; extra: ApiFilters} {
	const form: FilterForm = {...emptyFilterForm, severities: []};
	const extra: ApiFilters = {};
	const byField = new Map<string, keyof FilterForm>(
		(Object.entries(filterFields[dataType]) as Array<[keyof FilterForm, string]>).map(([key, apiField]) => [apiField, key]),
	);
	for (const [apiField, condition] of Object.entries(filters ?? {})) {
		const key = byField.get(apiField);
		const list = condition && typeof condition === 'object' && Object.keys(condition).length === 1 ? condition['eq'] : undefined;
		if (!key || !Array.isArray(list) || !list.every(item => typeof item === 'string' || typeof item === 'number')) {
			extra[apiField] = condition;
			continue;
		}

		if (key === 'severities') {
			form.severities = list.map(String).filter(value => severityOptions.some(option => option.value === value));
		} else {
			form[key] = list.map(String).join(', ');
		}
	}

	return {form, extra};
}

/** One line summary of a filter for the wizard: `all alerts`, or `severity eq 2 · entity.service eq 11161`. */
export function describeFilters(dataType: DataType, filters: ApiFilters): string {
	const parts = Object.entries(filters).map(([apiField, condition]) => {
		const eq = condition?.['eq'];
		return Array.isArray(eq) ? `${apiField} is ${eq.join(' or ')}` : `${apiField} ${JSON.stringify(condition)}`;
	});
	return parts.length === 0 ? `all ${dataType}` : parts.join(' · ');
}
