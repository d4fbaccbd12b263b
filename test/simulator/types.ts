/**
 * Shared types of the athenaOne sandbox simulator. Type-only module: safe to import from the
 * admin client without pulling in the server.
 */

export interface RateLimitConfig {
	/** Cap of /v1 requests per 1-second window; null = no cap. */
	perSecond: number | null;
	/** How throttling is signalled: 429 JSON or 403 HTML (athena's Mashery gateway). */
	status: 429 | 403;
	/** When set, throttled answers carry `Retry-After: <n>`. */
	retryAfterSeconds?: number | null;
}

export interface SimulatorConfig {
	/** Delay before answering every /v1 call (ms). */
	latencyMs: number;
	rateLimit: RateLimitConfig;
	tokenLifetimeSeconds: number;
	tokenLimitPerMinute: number;
	/** Practice close date, mm/dd/yyyy: recordpayment postdate on/before it is refused. */
	closeDate: string;
	/** When true every card payment counts as settled (void refused). */
	settled: boolean;
	duplicateWindowSeconds: number;
	/** Extra practice ids accepted besides PRACTICE_ID (they share the same data). */
	practiceIds: string[];
	/** How a void shows in receipts (both recorded): a VOID row with a new e-payment ID, or the purchase turned VOIDPURCHASE. */
	voidReceipt: 'voidRow' | 'voidPurchase';
	/**
	 * How `GET /patients/paymenthistory` answers (no answer of it is on record): `guessed`, a flat `payments` list of
	 * receipt-like rows; `catalogue`, the field names a third-party catalogue of athena's payment history lists
	 * (`payments` the amount, `method`, `checkccnumber`, …), a `paymenthistory` list nested per patient.
	 */
	paymentHistoryShape: 'guessed' | 'catalogue';
}

/** What reset/configure/startSimulator accept: any subset, rateLimit merged key by key. */
export type SimulatorConfigInput = Partial<Omit<SimulatorConfig, 'rateLimit'>> & {
	rateLimit?: Partial<RateLimitConfig>;
};

export type FaultKind =
	| '500-before'
	| '502-html-before'
	| '503-before'
	| '500-after'
	| 'reset-before'
	| 'reset-after'
	| 'hang-after';

export interface Fault {
	method?: 'GET' | 'POST';
	/** Regex source matched against the path after /v1/{practiceid}, e.g. "/recordpayment$". */
	path?: string;
	kind: FaultKind;
	/** Fire on every k-th matching request (default 1 = every one). */
	every?: number;
	/** Fire at most this many times (default unlimited). */
	count?: number;
	/** For hang-after: how long to hold the socket before destroying it (default 60000). */
	hangMs?: number;
}

export type LedgerKind = 'record' | 'collect' | 'void' | 'email';

export interface LedgerEntry {
	seq: number;
	kind: LedgerKind;
	patientid: string;
	departmentid?: string;
	epaymentid?: string;
	paymentbatchid?: string;
	/** Total money of the operation as a decimal string (record/collect; the voided amount for void). */
	amount?: string;
	/**
	 * The form fields athena received, except: accountnumber → accountnumberlast4 + accountnumberlength,
	 * cardsecuritycode → cardsecuritycodelength, trackdata → trackdatalength.
	 */
	form: Record<string, string>;
	/** false when a *-after fault swallowed the answer (the operation happened anyway). */
	answered: boolean;
	at: string;
}

export interface SimulatorStats {
	tokenRequests: number;
	tokensIssued: number;
	tokenRefusals429: number;
	apiRequests: number;
	throttled: number;
	faultsInjected: number;
	/** 4xx refusals of the write endpoints (validation, duplicates, void refusals...). */
	refusedPayments: number;
	/** Card declines (HTTP 200 success:"false"). */
	declines: number;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	query: Record<string, string>;
	/** 0 while pending or when the socket was destroyed without an answer. */
	status: number;
	/** The request's Content-Type header, or null. */
	contentType: string | null;
	at: string;
	/** First 8 characters of the bearer token sent, or null. */
	bearer: string | null;
}
