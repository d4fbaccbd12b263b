import type { IDataObject, IExecuteFunctions, INode, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { patientFromItem } from '../../../descriptions/common';
import { postingParameterPath } from './parameterPaths';

/** What a list operation of this node returns many of ("patients"), by resource and operation; undefined otherwise. */
type ListNoun = (resource: string, operation: string) => string | undefined;

/**
 * Checks made before a posting run reads a single row or calls athena: every posting setting is one this node can
 * act on, and no node setting would make n8n post a payment twice. A setting that fails here stops the node with an
 * error naming it; nothing was sent.
 */
export function refuseUnsafePostingSetup(
	context: IExecuteFunctions,
	itemCount: number,
	listNoun: ListNoun,
): void {
	const node = context.getNode();
	const refuse: Refuse = (message, description) => {
		throw new NodeOperationError(node, message, {
			description: `${description} Nothing was sent to athena.`,
		});
	};
	refuseFanOut(context, itemCount, listNoun, refuse);
	// n8n's Retry On Fail runs the whole node again when it fails: every row already posted would be posted again
	// (with Duplicate Check Off), or come out "skipped" as if an earlier run had posted it.
	if (node.retryOnFail === true) {
		refuse(
			'Turn off Retry On Fail for this node: a retry would post the payments already posted',
			"n8n's Retry On Fail runs the whole node again after a failure, so the rows posted before it would be sent again. Turn it off in the node's Settings. The node already retries what is safe to retry on its own: throttling (429, 403 over-QPS), token refreshes, connections that never reached athena and look-ups; a payment whose outcome is unknown is never resent.",
		);
	}
	refuseBadOptions(context.getNodeParameter('postingOptions', 0, {}) as IDataObject, refuse);
	const duplicateCheck = refuseBadModes(context, refuse);
	// A fixed Post Again re-sends every row of the sheet on every run; a re-post is a decision about one row.
	if (duplicateCheck !== 'off' && fixedPostAgain(node) === true && itemCount > 1) {
		refuse(
			`Post Again is on for all ${itemCount} rows`,
			'Post Again re-posts a payment already posted (or of unknown outcome) after you checked athenaOne, so it is meant for the rows you checked, not a whole sheet. Set it with an expression on a column of those rows (e.g. {{ $json.postAgain === "yes" }}), or run the node on just that row.',
		);
	}
}

type Refuse = (message: string, description: string) => void;

/** A version-2 node still at its Patient default, fed several patients by a list: one payment to each of them. */
function refuseFanOut(
	context: IExecuteFunctions,
	itemCount: number,
	listNoun: ListNoun,
	refuse: Refuse,
): void {
	const list =
		itemCount > 1 && patientIsVersion2Default(context.getNode())
			? listFeeding(context, listNoun)
			: undefined;
	if (!list) return;
	const action = context.getNodeParameter('operation', 0) === 'collect' ? 'Collect' : 'Record';
	refuse(
		`${itemCount} ${list.noun} arrived from ${list.node}; ${action} would post one payment to each. Pick the patient, or map Patient to a column to post one payment per row`,
		`Patient is still at this node's old default, the patientId of each incoming item, and ${list.node} returns a list: n8n runs ${action} once per item, so every patient in it would be charged the same payment, also those nobody chose. Pick the patient in Patient (From List), or put ${list.node} behind a step that keeps one item; to post one payment per row on purpose, map Patient to the column, e.g. {{ $json.patientId }}.`,
	);
}

/** Every posting option is one the node can act on. */
function refuseBadOptions(options: IDataObject, refuse: Refuse): void {
	const number = (name: string, label: string, rule: string, ok: (value: number) => boolean) => {
		const raw = options[name];
		if (raw === undefined || raw === null) return;
		const value =
			typeof raw === 'number'
				? raw
				: typeof raw === 'string' && raw.trim() !== ''
					? Number(raw)
					: NaN;
		if (!Number.isFinite(value) || !ok(value)) {
			refuse(
				`Options → ${label} must be ${rule}; it is ${JSON.stringify(raw)}`,
				`Set ${label} in the node's Options to ${rule}.`,
			);
		}
	};
	const whole = (from: number, to: number) => (value: number) =>
		Number.isInteger(value) && value >= from && value <= to;
	number('concurrency', 'Concurrency', 'a whole number from 1 to 20', whole(1, 20));
	number('requestsPerSecond', 'Requests per Second', 'a number of at least 0.1', (v) => v >= 0.1);
	number(
		'timeoutSeconds',
		'Timeout (Seconds)',
		'a number of seconds from 1 to 3600',
		(value) => value >= 1 && value <= 3600,
	);
	number(
		'duplicateWindowDays',
		'Duplicate Window (Days)',
		'a whole number of days from 1 to 30',
		whole(1, 30),
	);
	for (const [name, label] of [
		['addSummary', 'Add Summary Item'],
		['batchItems', 'Add One Item per Payment Batch'],
		['allowIdenticalRows', 'Identical Rows Are Separate Payments'],
	] as const) {
		const raw = options[name];
		if (raw !== undefined && typeof raw !== 'boolean')
			refuse(
				`Options → ${label} must be true or false; it is ${JSON.stringify(raw)}`,
				`Set ${label} in the node's Options to on or off.`,
			);
	}
}

/** Validate Only and Duplicate Check hold values the node knows; the Duplicate Check it read. */
function refuseBadModes(context: IExecuteFunctions, refuse: Refuse): unknown {
	const validateOnly = context.getNodeParameter(
		postingParameterPath(context, 'validateOnly'),
		0,
		false,
	);
	if (typeof validateOnly !== 'boolean')
		refuse(
			`Validate Only must be true or false; it is ${JSON.stringify(validateOnly)}`,
			'Turn Validate Only on or off.',
		);
	const duplicateCheck = context.getNodeParameter(
		postingParameterPath(context, 'duplicateCheck'),
		0,
		'paymentDetails',
	);
	if (!['paymentDetails', 'rowReference', 'off'].includes(duplicateCheck as string)) {
		refuse(
			`Duplicate Check must be By Payment Details, By Row Reference or Off; it is ${JSON.stringify(duplicateCheck)}`,
			'Choose a Duplicate Check from the list.',
		);
	}
	return duplicateCheck;
}

/** Post Again as saved (not evaluated): v1 at the top, v2 under Options. */
function fixedPostAgain(node: INode): unknown {
	return node.typeVersion >= 2
		? (node.parameters.postingOptions as IDataObject | undefined)?.postAgain
		: node.parameters.postAgain;
}

/** Version 2 started Patient at the incoming item's patientId; a node that still holds it never chose a patient. */
function patientIsVersion2Default(node: INode): boolean {
	const patient = node.parameters.patientId as INodeParameters | undefined;
	const offered = patientFromItem.default as INodeParameters;
	return (
		node.typeVersion === 2 && patient?.mode === offered.mode && patient?.value === offered.value
	);
}

/** The node the items came from, when it is one of this node's list operations (Patient → Search, …). */
function listFeeding(
	context: IExecuteFunctions,
	listNoun: ListNoun,
): { node: string; noun: string } | undefined {
	let source: string | undefined;
	try {
		source = context.getInputSourceData(0)?.previousNode;
	} catch {
		return undefined;
	}
	const node = context.getNode();
	const parent = context
		.getParentNodes(node.name, { includeNodeParameters: true })
		.find((candidate) => candidate.name === source);
	if (!source || parent?.type !== node.type || !parent.parameters) return undefined;
	const noun = listNoun(
		String(parent.parameters.resource ?? ''),
		String(parent.parameters.operation ?? ''),
	);
	return noun ? { node: source, noun } : undefined;
}
