import type {
	IDataObject,
	IExecuteFunctions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';
import type { z } from 'zod';

import type { SentCardData } from '../../../shared/redact';
import type { AthenaClient } from '../../../transport/athenaClient';

// The words of the posting engine. This file imports nothing from posting/: every other file of it may import it.

/** Every row of a posting comes out with exactly one of these (statuses.ts says what each means). */
export type PostingStatus = 'posted' | 'skipped' | 'invalid' | 'failed' | 'unknown' | 'valid';

/** A payment input that passed its schema; what Record and Collect have in common. */
export interface PaymentCommon {
	patientId: string;
	departmentId: string;
	appointmentId?: string;
}

export interface PostedIds {
	paymentBatchId?: string;
	ePaymentId?: string;
	/** Said on the row when athena's success answer lacked something (an ID). */
	note?: string;
}

/** What a posting operation (Record, Collect) tells the engine, in the order the engine asks: input, key, report, send. */
export interface PostingSpec<TInput extends PaymentCommon> {
	operation: 'record' | 'collect';
	/** Reading a row and checking it, before anything is sent. */
	input: {
		schema: z.ZodType<TInput, z.ZodTypeDef, unknown>;
		read(context: IExecuteFunctions, itemIndex: number): IDataObject;
		/** The row's payment method, when it must be one of the practice's methods. */
		paymentMethodOf?(input: TInput): string | undefined;
		/** The row's post date, mm/dd/yyyy, when it has one (empty = today). */
		postDateOf?(input: TInput): string | undefined;
		/** The card data an item sends (Collect): found and redacted in any spelling in everything that comes out. */
		sentCardData?(context: IExecuteFunctions, itemIndex: number): SentCardData;
	};
	/** What identifies the payment for the duplicate check (memory/keys.ts builds the keys from it). */
	key: {
		/** The current key version's parts. */
		parts(input: TInput): unknown[];
		/**
		 * What identified the same payment under an earlier reading of the row, when that differs (a timestamp Post
		 * Date, see shared/dates.ts `before`): claimed with the row's key, so a payment posted then still blocks it.
		 */
		earlierParts?(input: TInput): unknown[] | undefined;
		/** What key version 1 hashed, when it differs: `date` is a day of the workflow's calendar, mm/dd/yyyy. */
		legacyParts?(input: TInput, date: string): unknown[];
		/**
		 * A payment made today (Collect): its keys carry the US Eastern day, and a claim covers the Duplicate Window's
		 * days. Without it, the keys carry no day: the post date (Record) is one of the key's parts.
		 */
		duplicateWindow?: boolean;
	};
	/** What comes out about the payment. */
	report: {
		/** What was (or would be) posted: safe to output, never more than the last four card digits. */
		describe(input: TInput): IDataObject;
		totalCents(input: TInput): number;
		methodLabel(input: TInput): string;
	};
	send(client: AthenaClient, input: TInput, itemIndex: number): Promise<PostedIds>;
}

/** What the memory keeps of a posting (in the workflow's static data): shown on a row skipped because of it. */
export interface PostingRecord extends IDataObject {
	status: 'posted' | 'unknown';
	at: string;
	executionId?: string;
	paymentBatchId?: string;
	ePaymentId?: string;
}

export interface RowKeys {
	/** The key this run claims for the row; the row's `duplicateCheckKey`. */
	key: string;
	/**
	 * Claimed when the row is sent: the keys the next days of the window will claim. So a re-run tomorrow finds the
	 * payment by claiming its own day's key, with no read of earlier days (n8n's store has no read-only check).
	 */
	ahead: string[];
	/** The keys the previous key version wrote for this payment: one held blocks the row as its own key would. */
	legacy: string[];
}

/**
 * One row of the sheet on its way through the engine. Its `status` is its state: a row is sent only while it has
 * none (every check that refuses it gives it one); rowOutcome.ts is the only writer of `status`, `json` and `error`.
 */
export interface Row<TInput> {
	itemIndex: number;
	/** The row as messages name it ("row 7"): see rowNames.ts. */
	name: string;
	/** The same row as its `row` field shows it (7). */
	label: number | string;
	/** Whose payment the row is, as read before any check: shown on a row refused before it could be described. */
	read?: IDataObject;
	/** The row's payment, once it passed its schema. */
	input?: TInput;
	key?: string;
	/** Every key of the row's duplicate check; `key` is `keys.key`. */
	keys?: RowKeys;
	/** Post Again, read and checked with the row's input. */
	postAgain?: boolean;
	status?: PostingStatus;
	json: IDataObject;
	error?: NodeApiError | NodeOperationError;
}

/** A row still to be sent: it passed every check and has no status yet. */
export type RowToSend<TInput> = Row<TInput> & { input: TInput; status: undefined };

export interface PostingSettings {
	validateOnly: boolean;
	duplicateCheck: 'paymentDetails' | 'rowReference' | 'off';
	addSummary: boolean;
	/** One output item per payment batch, after the rows (report.ts). */
	batchItems: boolean;
	concurrency: number;
	allowIdenticalRows: boolean;
	requestsPerSecond: number;
	timeoutSeconds: number;
	/** Collect's Duplicate Window (Days). */
	duplicateWindowDays: number;
}
