import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactCardData } from '../shared/redact';
import type { FailureKind, HttpFailure } from './failure';
import { readAthenaBody } from './parse';
import { knownRefusalHint } from './refusalHints';

/** A failed athena call, with whether athena may have acted on it (`outcome`). Carries no request data. */
export class AthenaApiError extends NodeApiError {
	readonly outcome: FailureKind;

	constructor(
		node: INode,
		details: {
			outcome: FailureKind;
			message: string;
			description: string;
			httpCode?: number;
			itemIndex?: number;
		},
	) {
		const message = redactCardData(details.message);
		const description = redactCardData(details.description);
		const response: JsonObject = { message, description, outcome: details.outcome };
		super(node, response, {
			message,
			description,
			httpCode: details.httpCode ? String(details.httpCode) : undefined,
			itemIndex: details.itemIndex,
		});
		this.outcome = details.outcome;
	}
}

const UNKNOWN_OUTCOME_ADVICE =
	"It may have reached athena, so it was not sent again: a payment sent twice is two payments. Check the patient's account in athenaOne before posting it again.";

function plainSnippet(body: string): string {
	const text = body
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** What to check when nothing reached athena: the token or the connection. */
function notSentAdvice(failure: HttpFailure): string {
	if (failure.tokenProblem === 'badClient') {
		return 'athena refused the Client ID or Client Secret. Check them in the credential (preview and production have different keys).';
	}
	if (failure.tokenProblem === 'rateLimited') {
		return 'athena limits new tokens (5 a minute in preview). n8n keeps the token in the credential; wait a minute and run again.';
	}
	return failure.tokenProblem
		? "The token endpoint did not give a token. Check the credential's environment and base URL."
		: `Connection failed (${failure.code ?? 'no connection'}). Check the credential's environment and base URL.`;
}

/** Turns what athena (or the network) answered into the message a user reads, with what to do next. */
export function toAthenaApiError(
	node: INode,
	failure: HttpFailure,
	context: {
		action: string;
		isWrite: boolean;
		itemIndex?: number;
		hint?: (athenaError: string, status?: number) => string | undefined;
	},
): AthenaApiError {
	const { action, isWrite, itemIndex } = context;
	const base = { httpCode: failure.status, itemIndex };
	if (failure.kind === 'notSent') {
		return new AthenaApiError(node, {
			...base,
			outcome: 'notSent',
			message: failure.tokenProblem
				? `Could not get an access token from athena to ${action}`
				: `Could not reach athena to ${action}`,
			description: `${notSentAdvice(failure)} Nothing was sent to athena.`,
		});
	}
	if (failure.kind === 'unknown') {
		const what = failure.status
			? `athena answered HTTP ${failure.status}`
			: `the connection ended without an answer (${failure.code ?? 'no answer'})`;
		return new AthenaApiError(node, {
			...base,
			outcome: 'unknown',
			message: isWrite
				? `No answer from athena: the outcome of "${action}" is unknown`
				: `athena did not answer: ${what}`,
			description: isWrite
				? `While trying to ${action}, ${what}. ${UNKNOWN_OUTCOME_ADVICE}`
				: `While trying to ${action}, ${what}. Try again in a moment; the request was retried before giving up.${failure.body ? ` athena said: ${plainSnippet(failure.body)}` : ''}`,
		});
	}
	if (failure.kind === 'throttled') {
		return new AthenaApiError(node, {
			...base,
			outcome: 'throttled',
			message: 'athena kept throttling the requests',
			description: `athena answered HTTP ${failure.status ?? 429} (too many requests) to every try to ${action}. Nothing was posted. Lower "Requests per Second" in the node's options, or run again later.`,
		});
	}
	const answer = readAthenaBody(failure.body);
	const athenaError =
		answer.error ?? (failure.body ? plainSnippet(failure.body) : `HTTP ${failure.status}`);
	const advice =
		context.hint?.(athenaError, failure.status) ??
		knownRefusalHint(answer.error, answer.detailedMessage) ??
		(failure.status === 401
			? 'athena refused the access token even after n8n fetched a new one. Check that the app is enabled for this practice and environment in the athenahealth Developer Portal.'
			: failure.status === 403
				? 'athena refused access. Check that the app may use this practice and endpoint in the Developer Portal.'
				: undefined);
	const parts = [
		answer.detailedMessage,
		answer.missingFields?.length
			? `Missing fields: ${answer.missingFields.join(', ')}.`
			: undefined,
		advice,
		isWrite ? 'athena refused it, so nothing was posted.' : undefined,
		answer.requestId ? `athena request ID: ${answer.requestId}.` : undefined,
	].filter(Boolean);
	return new AthenaApiError(node, {
		...base,
		outcome: 'refused',
		message: `athena: ${athenaError}`,
		description:
			parts.join(' ') || `athena answered HTTP ${failure.status} to the request to ${action}.`,
	});
}
