/**
 * Shapes of the Defender for Cloud Apps REST API (SPEC §2), as the agent sees them.
 * Records are untrusted: every field is optional and may have the wrong type.
 */

export type DataType = 'alerts' | 'activities';
export const dataTypes: readonly DataType[] = ['alerts', 'activities'];

/** An alert or activity exactly as the API returned it. */
export type ApiRecord = Record<string, unknown>;

/** `{ "<field>": { "<op>": value } }`, all ANDed (SPEC §2). */
export type ApiFilters = Record<string, Record<string, unknown>>;

/** Body of `POST /api/v1/{activities,alerts}/`. */
export interface QueryBody {
	filters?: ApiFilters | unknown;
	sortField?: string;
	sortDirection?: 'asc' | 'desc';
	skip?: number;
	limit?: number;
	isScan?: boolean;
}

/** A validated response page. */
export interface ApiPage {
	data: ApiRecord[];
	hasNext: boolean;
	total?: number;
	/** Scan mode: send back verbatim as `filters` for the next page. */
	nextQueryFilters?: unknown;
}
