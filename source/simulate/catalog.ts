/**
 * The fixed vocabulary of the simulated tenant: apps (the ids and names of Microsoft's
 * samples), activity kinds, users, places, user agents, alert kinds and hostile strings.
 */

export interface App {
	id: number;
	name: string;
	/** Used in `eventTypeValue`, e.g. `EVENT_SERVICENOW_DELETE_OBJECT`. */
	key: string;
	/** Indices into `activityKinds`. */
	kinds: readonly number[];
	weight: number;
}

/** How the target objects and the description of an activity kind are built. */
export type TargetShape = 'none' | 'report' | 'object' | 'user' | 'file' | 'mail' | 'setting';

export interface ActivityKind {
	/** `eventTypeName`, the CEF signature id. */
	category: string;
	/** `mainInfo.prettyOperationName`, the CEF name. */
	operation: string;
	action: string;
	target: TargetShape;
	failed?: boolean;
}

export const activityKinds: readonly ActivityKind[] = [
	{category: 'EVENT_CATEGORY_LOGIN', operation: 'Log on', action: 'LOGIN', target: 'none'},
	{category: 'EVENT_CATEGORY_LOGOUT', operation: 'Log out', action: 'LOGOUT', target: 'none'},
	{category: 'EVENT_CATEGORY_FAILED_LOGIN', operation: 'Failed log on', action: 'FAILED_LOGIN', target: 'none', failed: true},
	{category: 'EVENT_CATEGORY_VIEW_REPORT', operation: 'View report', action: 'VIEW_REPORT', target: 'report'},
	{category: 'EVENT_CATEGORY_DELETE_OBJECT', operation: 'Delete object', action: 'DELETE_OBJECT', target: 'object'},
	{category: 'EVENT_CATEGORY_CREATE_USER', operation: 'Create user', action: 'CREATE_USER', target: 'user'},
	{category: 'EVENT_CATEGORY_DELETE_USER', operation: 'Delete user', action: 'DELETE_USER', target: 'user'},
	{category: 'EVENT_CATEGORY_DOWNLOAD_FILE', operation: 'Download file', action: 'DOWNLOAD_FILE', target: 'file'},
	{category: 'EVENT_CATEGORY_UPLOAD_FILE', operation: 'Upload file', action: 'UPLOAD_FILE', target: 'file'},
	{category: 'EVENT_CATEGORY_SHARE_FILE', operation: 'Share file', action: 'SHARE_FILE', target: 'file'},
	{category: 'EVENT_CATEGORY_SEND_MAIL', operation: 'Send mail', action: 'SEND_MAIL', target: 'mail'},
	{category: 'EVENT_CATEGORY_CHANGE_ADMIN_SETTINGS', operation: 'Edit settings', action: 'EDIT_SETTINGS', target: 'setting'},
];

export const apps: readonly App[] = [
	{id: 14_509, name: 'ServiceNow', key: 'SERVICENOW', kinds: [0, 1, 3, 4, 5, 6], weight: 3},
	{id: 10_489, name: 'Box', key: 'BOX', kinds: [0, 1, 2, 7, 8, 9], weight: 2},
	{id: 11_114, name: 'Salesforce', key: 'SALESFORCE', kinds: [0, 1, 2, 3, 4, 5], weight: 2},
	{id: 11_161, name: 'Microsoft 365', key: 'O365', kinds: [0, 2, 7, 8, 9, 11], weight: 4},
	{id: 20_893, name: 'Microsoft Exchange Online', key: 'EXCHANGE', kinds: [0, 2, 10, 10, 10], weight: 3},
	{id: 28_375, name: 'Microsoft 365 admin center', key: 'O365_PORTAL', kinds: [0, 5, 6, 11], weight: 1},
	{id: 33_626, name: 'Google', key: 'GOOGLE', kinds: [0, 1, 7, 8, 9], weight: 1},
];

export interface User {
	upn: string;
	name: string;
}

export const users: readonly User[] = [
	{upn: 'admin@contoso.com', name: 'Contoso Admin'},
	{upn: 'user@contoso.com', name: 'Contoso User'},
	{upn: 'alice@contoso.com', name: 'Alice Martin'},
	{upn: 'bob@contoso.com', name: 'Bob Kowalski'},
	{upn: 'chen.wei@contoso.com', name: 'Chen Wei'},
	{upn: 'dana@contoso.com', name: 'Dana Levi'},
	{upn: 'eve.ops@contoso.com', name: 'Eve Okafor'},
	{upn: 'frank@contoso.com', name: 'Frank Müller'},
	{upn: 'admin@box-contoso.com', name: 'Box Admin'},
	{upn: 'user2@test15-adallom.com', name: 'Test User 2'},
	{upn: 'svc-backup@contoso.com', name: 'Backup Service'},
	{upn: 'grace@contoso.com', name: 'Grace Ito'},
];

export interface Place {
	countryCode: string;
	city: string;
	region: string;
	latitude: number;
	longitude: number;
	isp: string;
	ipv4: string;
	ipv6: string;
}

export const places: readonly Place[] = [
	{countryCode: 'US', city: 'Boydton', region: 'Virginia', latitude: 36.6676, longitude: -78.3875, isp: 'Microsoft Azure', ipv4: '13.82', ipv6: '2603:1030:a02'},
	{countryCode: 'US', city: 'Redmond', region: 'Washington', latitude: 47.674, longitude: -122.1215, isp: 'Microsoft Corporation', ipv4: '131.107', ipv6: '2001:4898:80e8'},
	{countryCode: 'GB', city: 'London', region: 'England', latitude: 51.5074, longitude: -0.1278, isp: 'British Telecommunications', ipv4: '81.2', ipv6: '2a00:23c5:e1'},
	{countryCode: 'DE', city: 'Frankfurt am Main', region: 'Hesse', latitude: 50.1109, longitude: 8.6821, isp: 'Deutsche Telekom AG', ipv4: '80.187', ipv6: '2003:e8:1f0a'},
	{countryCode: 'FR', city: 'Paris', region: 'Île-de-France', latitude: 48.8566, longitude: 2.3522, isp: 'Orange', ipv4: '90.84', ipv6: '2a01:cb00:7a1'},
	{countryCode: 'IL', city: 'Tel Aviv', region: 'Tel Aviv', latitude: 32.0853, longitude: 34.7818, isp: 'Bezeq International', ipv4: '79.176', ipv6: '2a02:6680:110'},
	{countryCode: 'JP', city: 'Tokyo', region: 'Tokyo', latitude: 35.6762, longitude: 139.6503, isp: 'NTT Communications', ipv4: '153.156', ipv6: '2400:4050:a2'},
	{countryCode: 'BR', city: 'São Paulo', region: 'São Paulo', latitude: -23.5505, longitude: -46.6333, isp: 'Claro S.A.', ipv4: '177.94', ipv6: '2804:14c:5b'},
	{countryCode: 'IN', city: 'Mumbai', region: 'Maharashtra', latitude: 19.076, longitude: 72.8777, isp: 'Reliance Jio', ipv4: '49.36', ipv6: '2405:201:2c'},
	{countryCode: 'NL', city: 'Amsterdam', region: 'North Holland', latitude: 52.3676, longitude: 4.9041, isp: 'KPN B.V.', ipv4: '145.53', ipv6: '2a02:a440:91'},
];

export interface Agent {
	userAgent: string;
	/** `device.type`, one of the API's DESKTOP, MOBILE, TABLET, OTHER. */
	type: string;
}

export const agents: readonly Agent[] = [
	{userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', type: 'DESKTOP'},
	{userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', type: 'DESKTOP'},
	{userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', type: 'DESKTOP'},
	{userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', type: 'MOBILE'},
	{userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36', type: 'MOBILE'},
	{userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', type: 'TABLET'},
	{userAgent: 'python-requests/2.32.3', type: 'OTHER'},
	{userAgent: '', type: 'OTHER'},
];

export const fileNames: readonly string[] = [
	'Q3 results.xlsx', 'Board deck FINAL v7.pptx', 'payroll_2024.csv', 'contract-acme.pdf', 'roadmap.docx',
	'customer list.xlsx', 'IMG_0042.jpg', 'backup.zip', 'Kündigung.docx', 'security review.pdf',
];

export const mailSubjects: readonly string[] = [
	'Quarterly results', 'Re: invoice 4471', 'Password reset', 'Team offsite', 'FW: contract draft',
];

export const settings: readonly string[] = [
	'Sharing policy', 'MFA enforcement', 'Audit log retention', 'External access', 'Mailbox forwarding',
];

export interface AlertKind {
	type: string;
	/** Title for alerts that have no policy of their own. */
	title?: string;
	/** Activity or file policies raise the alert: the title is the policy's name. */
	policy?: 'activity' | 'file' | 'session';
	/** Anomaly detections carry a threat score; policy alerts do not (cn1 is empty in the samples). */
	scored: boolean;
	weight: number;
}

// Only ALERT_CABINET_EVENT_MATCH_AUDIT appears in Microsoft's samples; the others are illustrative.
export const alertKinds: readonly AlertKind[] = [
	{type: 'ALERT_CABINET_EVENT_MATCH_AUDIT', policy: 'activity', scored: false, weight: 55},
	{type: 'ALERT_CABINET_EVENT_MATCH_FILE', policy: 'file', scored: false, weight: 10},
	{type: 'ALERT_CABINET_INLINE_EVENT_MATCH', policy: 'session', scored: false, weight: 5},
	{type: 'ALERT_IMPOSSIBLE_TRAVEL', title: 'Impossible travel activity', scored: true, weight: 10},
	{type: 'ALERT_MULTIPLE_FAILED_LOGIN', title: 'Multiple failed login attempts', scored: true, weight: 10},
	{type: 'ALERT_MASS_DOWNLOAD', title: 'Mass download by a single user', scored: true, weight: 10},
];

export const policyNames: Readonly<Record<'activity' | 'file' | 'session', readonly string[]>> = {
	activity: ['myPolicy', 'test-activity-policy', 'test-activity-policy2', 'test-activity-policy3', 'test-activity-policy4', 'Admin activity from a risky IP'],
	file: ['File shared with personal email', 'Sensitive file in public folder'],
	session: ['Block download of sensitive files'],
};

/**
 * Values a hostile tenant could put in any free-text field: line breaks, CEF and syslog
 * delimiters, a forged CEF header, escapes, Unicode line separators and non-Latin text.
 */
export const hostileStrings: readonly string[] = [
	'evil\r\nCEF:0|MCAS|SIEM_Agent|0.1|FORGED|Forged event|10|src=6.6.6.6 suser=root',
	'pipe|in|value and key=value and back\\slash',
	'line one\nline two\rline three',
	'<14>Jan 01 00:00:00 forged-host forged: syslog line',
	'tab\there, NUL-free, separator\u2028and\u2029paragraph',
	'trailing backslash \\',
	'Zoë Ünïcødé 東京 🚀 "quoted" \'single\'',
	'cs1=https://evil.example/#/x?a\\=b|c',
];
