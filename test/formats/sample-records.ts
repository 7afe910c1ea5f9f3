/**
 * API records that produce Microsoft's sample CEF lines (shared/fixtures/mcas-cef-samples.txt),
 * shaped as the Defender for Cloud Apps REST API returns them (SPEC §2), in the file's order.
 * Reused by the simulator and other tests.
 *
 * The alert descriptions keep the doubled quotes (`''myPolicy''`) that appear in the sample
 * lines: the agent passes `description` through unchanged, so the 2017 service must have sent
 * them that way (its descriptions are raw templates; later ones show `__siteIcon__` markers).
 */
import type {ApiRecord, DataType} from '../../source/cloud/types.ts';

/** Tenant portal URL of the sample activities' `cs1` links. */
export const samplePortalUrl = 'https://contoso.portal.cloudappsecurity.com';

export interface SampleRecord {
	dataType: DataType;
	record: ApiRecord;
	/** Set when the sample line was written with "Include system name". */
	systemName?: string;
}

const admin = 'admin@contoso.com';
const serviceNow = {appId: 14_509, appName: 'ServiceNow'};

interface ActivitySpec {
	id: string;
	timestamp: number;
	category: string;
	operation: string;
	rawOperation: string;
	description: string;
	/** eventObjects; `undefined` is an object without a name (e.g. an unresolved record). */
	targets: Array<string | undefined>;
	clientIP?: string;
}

function activity(spec: ActivitySpec): ApiRecord {
	const created = Number(spec.id.slice(0, spec.id.indexOf('_')));
	const record: ApiRecord = {
		_id: spec.id,
		tenantId: 26_857_419,
		appId: serviceNow.appId,
		saasId: serviceNow.appId,
		timestamp: spec.timestamp,
		timestampRaw: spec.timestamp,
		created,
		createdRaw: created,
		eventType: 9_502_720,
		eventTypeValue: 'EVENT_SERVICENOW_' + spec.rawOperation.toUpperCase(),
		eventTypeName: spec.category,
		description: spec.description,
		description_id: 'EVENT_DESCRIPTION_BASIC_EVENT',
		user: {userName: admin, userTags: []},
		appName: serviceNow.appName,
		mainInfo: {
			eventObjects: spec.targets.map((name, i) => (name === undefined
				? {objType: 0, role: 3, tags: [], id: String(i)}
				: {objType: name.includes('@') ? 21 : 1, role: name.includes('@') ? 4 : 3, tags: [], name, id: name})),
			rawOperationName: spec.rawOperation,
			prettyOperationName: spec.operation,
			type: 'basic',
		},
		source: 2,
		severity: 'INFO',
		classifications: [],
		genericEventType: 'ENUM_ACTIVITY_GENERIC_TYPE_BASIC',
		uid: spec.id,
	};
	if (spec.clientIP !== undefined) {
		record.device = {clientIP: spec.clientIP, countryCode: 'US'};
		record.location = {countryCode: 'US', city: 'Boydton', region: 'Virginia', regionCode: 'VA', anonymousProxy: false, isSatelliteProvider: false, category: 0, categoryValue: 'null'};
	}

	return record;
}

interface AlertSpec {
	id: string;
	timestamp: number;
	title: string;
	user: string;
	service: {id: number; label: string};
	audit: string;
	policyId?: string;
}

function alert(spec: AlertSpec): ApiRecord {
	const entities: unknown[] = [];
	if (spec.policyId !== undefined) {
		entities.push({id: spec.policyId, label: spec.title, policyType: 'AUDIT', type: 'policyRule'});
	}

	entities.push(
		{id: spec.service.id, label: spec.service.label, type: 'service'},
		{id: spec.user, label: spec.user.slice(0, spec.user.indexOf('@')), pa: spec.user, saas: spec.service.id, inst: 0, entityType: 2, type: 'account'},
		{id: spec.user, label: spec.user, type: 'user'},
	);
	return {
		_id: spec.id,
		timestamp: spec.timestamp,
		entities,
		title: spec.title,
		description: 'Activity policy \'\'' + spec.title + '\'\' was triggered by \'\'' + spec.user + '\'\'',
		stories: [0],
		audits: [spec.audit],
		isSystemAlert: false,
		statusValue: 0,
		severityValue: 0,
		resolutionStatusValue: 0,
		URL: 'https://cloud-app-security.com/#/alerts/' + spec.id,
	};
}

/** One record per line of mcas-cef-samples.txt, in order. */
export const sampleRecords: readonly SampleRecord[] = [
	{dataType: 'activities', record: activity({
		id: '1511373015679_167ae3eb-ed33-454a-b548-c2ed6cea6ef0',
		timestamp: 1_511_373_004_000,
		category: 'EVENT_CATEGORY_LOGOUT',
		operation: 'Log out',
		rawOperation: 'logout',
		description: 'Log out',
		targets: [admin, admin, admin],
		clientIP: '13.82.149.151',
	})},
	{dataType: 'activities', record: activity({
		id: '1511898027370_e272cd5f-31a3-48e3-8a6a-0490c042950a',
		timestamp: 1_511_898_015_000,
		category: 'EVENT_CATEGORY_VIEW_REPORT',
		operation: 'View report',
		rawOperation: 'report_view',
		description: 'View report: ServiceNow Report 23',
		targets: ['23', 'sys_report', admin, admin, admin],
	})},
	{dataType: 'activities', record: activity({
		id: '1511897141625_7558b33f-218c-40ff-be5d-47d2bdd6b798',
		timestamp: 1_511_897_134_000,
		category: 'EVENT_CATEGORY_DELETE_OBJECT',
		operation: 'Delete object',
		rawOperation: 'record_deletion',
		description: 'Delete object: ServiceNow Object f5122008db360300906ff34ebf96198a',
		targets: [undefined, undefined, admin, admin, admin],
	})},
	{dataType: 'activities', record: activity({
		id: '1511815215873_824f8f8d-2ecd-439b-98b1-99a1adf7ba1c',
		timestamp: 1_511_815_214_000,
		category: 'EVENT_CATEGORY_CREATE_USER',
		operation: 'Create user',
		rawOperation: 'user_creation',
		description: 'Create user: user 747518c0db360300906ff34ebf96197c',
		targets: [undefined, '747518c0db360300906ff34ebf96197c', 'sys_user', admin, admin, admin],
	})},
	{dataType: 'activities', record: activity({
		id: '1511815287798_bcf60601-ecef-4207-beda-3d2b8d87d383',
		timestamp: 1_511_815_280_000,
		category: 'EVENT_CATEGORY_DELETE_USER',
		operation: 'Delete user',
		rawOperation: 'user_deletion',
		description: 'Delete user: user 233490c0db360300906ff34ebf9619ef',
		targets: [undefined, '233490c0db360300906ff34ebf9619ef', undefined, admin, admin, admin],
	})},
	{dataType: 'activities', systemName: 'LAB-EUW-ARCTEST', record: activity({
		id: '1511897117617_5be018ee-f676-4473-a9b5-5982527409be',
		timestamp: 1_511_897_095_000,
		category: 'EVENT_CATEGORY_DELETE_OBJECT',
		operation: 'Delete object',
		rawOperation: 'record_deletion',
		description: 'Delete object: ServiceNow Object b1709c40db360300906ff34ebf961923',
		targets: [undefined, undefined, admin, admin, admin],
	})},
	{dataType: 'alerts', record: alert({
		id: '596a7e360c204203a335a3fb',
		timestamp: 1_500_151_350_531,
		title: 'myPolicy',
		user: 'admin@box-contoso.com',
		service: {id: 10_489, label: 'Box'},
		audit: '1500151288183_acc891bf-33e1-424b-a021-0d4370789660',
		policyId: '59f0ab82f797fa0681e9b1c7',
	})},
	{dataType: 'alerts', record: alert({
		id: '596b339b0c204203a33a51ae',
		timestamp: 1_500_197_786_550,
		title: 'test-activity-policy',
		user: 'user@contoso.com',
		service: {id: 11_114, label: 'Salesforce'},
		audit: '1500197720691_b7f6317c-b8de-476a-bc8f-dfa570e00349',
	})},
	{dataType: 'alerts', record: alert({
		id: '596b2fd70c204203a33a3eeb',
		timestamp: 1_500_196_623_361,
		title: 'test-activity-policy3',
		user: admin,
		service: {id: 11_161, label: 'Microsoft 365'},
		audit: '1500196549157_a0e01f8a-e29a-43ae-8599-783c1c11597d',
	})},
	{dataType: 'alerts', record: alert({
		id: '596b2fd70c204203a33a3eec',
		timestamp: 1_500_196_635_426,
		title: 'test-activity-policy',
		user: admin,
		service: {id: 28_375, label: 'Microsoft 365 admin center'},
		audit: '1500196557398_3e102b20-d9fa-4f66-b550-8c7a403bb4d8',
		policyId: '59f0ab35f797fa9811e9b1c7',
	})},
	{dataType: 'alerts', record: alert({
		id: '596b30200c204203a33a4765',
		timestamp: 1_500_196_666_290,
		title: 'test-activity-policy4',
		user: admin,
		service: {id: 20_893, label: 'Microsoft Exchange Online'},
		audit: '1500196587034_a8673602-7e95-46d6-a1fe-c156c4709c5d',
	})},
	{dataType: 'alerts', record: alert({
		id: '596b34b10c204203a33a5240',
		timestamp: 1_500_198_064_369,
		title: 'test-activity-policy2',
		user: 'user2@test15-adallom.com',
		service: {id: 33_626, label: 'Google'},
		audit: '1500197996117_fd71f265-1e46-4f04-b372-2e32ec874cd3',
	})},
];

/** The activity records alone, in sample order. */
export const sampleActivities: readonly ApiRecord[] = sampleRecords.filter(s => s.dataType === 'activities').map(s => s.record);

/** The alert records alone, in sample order. */
export const sampleAlerts: readonly ApiRecord[] = sampleRecords.filter(s => s.dataType === 'alerts').map(s => s.record);
