import assert from 'node:assert/strict';
import {test} from 'node:test';
import {badAppId, buildFilters, describeFilters, emptyFilterForm, parseList, readFilters} from '../../../source/ui/wizard/filters.ts';

test('lists split on commas and spaces, without empties or repeats', () => {
	assert.deepEqual(parseList(' 11161, 20595,,11161  28375 '), ['11161', '20595', '28375']);
	assert.deepEqual(parseList(''), []);
	assert.equal(badAppId('11161, office'), 'office');
	assert.equal(badAppId('11161 20595'), undefined);
});

test('the editor builds the API filter object of SPEC §2', () => {
	assert.deepEqual(buildFilters('alerts', emptyFilterForm), {});
	assert.deepEqual(buildFilters('alerts', {...emptyFilterForm, apps: '11161, 20595', severities: ['2', '0']}), {
		'entity.service': {eq: [11161, 20595]},
		severity: {eq: [0, 2]},
	});
	// All three severities is no filter: informational alerts are not dropped by accident.
	assert.deepEqual(buildFilters('alerts', {...emptyFilterForm, severities: ['0', '1', '2']}), {});
	// Users and categories are activity filters only.
	assert.deepEqual(buildFilters('alerts', {...emptyFilterForm, users: 'alice'}), {});
	assert.deepEqual(buildFilters('activities', {apps: '11161', users: 'alice@contoso.com, bob@contoso.com', categories: 'EVENT_CATEGORY_LOGIN', severities: ['2']}), {
		service: {eq: [11161]},
		'user.username': {eq: ['alice@contoso.com', 'bob@contoso.com']},
		'activity.eventActionType': {eq: ['EVENT_CATEGORY_LOGIN']},
	});
});

test('reading a filter back keeps what the editor cannot show', () => {
	const filters = {
		service: {eq: [11161, 20595]},
		'user.username': {eq: ['alice@contoso.com']},
		'ip.address': {eq: ['10.0.0.1']},
		'activity.eventActionType': {neq: ['EVENT_CATEGORY_LOGOUT']},
	};
	const {form, extra} = readFilters('activities', filters);
	assert.deepEqual(form, {apps: '11161, 20595', users: 'alice@contoso.com', categories: '', severities: []});
	assert.deepEqual(extra, {'ip.address': {eq: ['10.0.0.1']}, 'activity.eventActionType': {neq: ['EVENT_CATEGORY_LOGOUT']}});
	assert.deepEqual(buildFilters('activities', form, extra), filters);

	const alerts = readFilters('alerts', {severity: {eq: [1, 2]}, 'entity.service': {eq: [11161]}});
	assert.deepEqual(alerts.form, {apps: '11161', users: '', categories: '', severities: ['1', '2']});
	assert.deepEqual(alerts.extra, {});
});

test('filters in words', () => {
	assert.equal(describeFilters('alerts', {}), 'all alerts');
	assert.equal(describeFilters('activities', {service: {eq: [11161, 20595]}, 'ip.address': {isset: true}}), 'service is 11161 or 20595 · ip.address {"isset":true}');
});

test('an app that is not an id shows as typed in the summary, never as NaN', () => {
	const filters = buildFilters('alerts', {...emptyFilterForm, apps: 'abc, 123'});
	assert.equal(describeFilters('alerts', filters), 'entity.service is abc or 123');
	assert.equal(badAppId('abc, 123'), 'abc');
});
